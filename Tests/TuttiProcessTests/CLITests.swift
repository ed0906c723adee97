import Foundation
import Testing
import TuttiRuntime
import TuttiTestSupport

@Suite("The tutti command line")
struct CLITests {
    @Test func tenantCreateThenKeyCreateAndRevoke() async throws {
        let environment = try await TuttiConfiguration.forTesting().environmentVariables()
        let created = try await run(["tenant", "create", "--name", "CLI tenant", "--json"], environment)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(created.utf8)) as? [String: Any], "\(created)")
        let tenantID = try #require((json["tenant"] as? [String: Any])?["id"] as? String)
        let adminKey = try #require((json["api_key"] as? [String: Any])?["key"] as? String)
        #expect(adminKey.hasPrefix("tutti_"))

        let issued = try await run(["key", "create", "--tenant", tenantID, "--role", "ingest", "--name", "site", "--json"], environment)
        let key = try #require(try JSONSerialization.jsonObject(with: Data(issued.utf8)) as? [String: Any], "\(issued)")
        #expect(key["role"] as? String == "ingest")
        let keyID = try #require(key["id"] as? String)

        _ = try await run(["key", "revoke", "--tenant", tenantID, keyID], environment)
        let listed = try await run(["key", "list", "--tenant", tenantID], environment)
        #expect(listed.contains("\(keyID)  ingest  revoked"), "\(listed)")
    }

    @Test func migrateIsANoOpOnACurrentSchema() async throws {
        let environment = try await TuttiConfiguration.forTesting().environmentVariables()
        let output = try await run(["migrate"], environment)
        #expect(output.contains("Schema is current"))
    }

    @Test func badArgumentsAreClearErrors() async throws {
        let environment = try await TuttiConfiguration.forTesting().environmentVariables()
        let process = try SpawnedProcess("tutti", arguments: ["key", "create", "--tenant", "nope", "--role", "root"], environment: environment)
        let status = await process.waitForExit(timeout: .seconds(10))
        #expect(status != 0)
        #expect(process.text.contains("--tenant must be a tenant id"))
    }

    private func run(_ arguments: [String], _ environment: [String: String]) async throws -> String {
        let process = try SpawnedProcess("tutti", arguments: arguments, environment: environment)
        let status = await process.waitForExit(timeout: .seconds(30))
        try #require(status == 0, "tutti \(arguments.joined(separator: " ")) failed:\n\(process.text)")
        return process.text
    }
}
