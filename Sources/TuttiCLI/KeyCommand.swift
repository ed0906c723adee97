import ArgumentParser
import Foundation
import TuttiDomain
import TuttiStore

/// `tutti key create|revoke|list`: manage a tenant's API keys from the command line.
struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Manage a tenant's API keys.", subcommands: [Create.self, Revoke.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a key; the key is printed once.")

        @Option(help: "The tenant's id.") var tenant: String
        @Option(help: "admin, editor, viewer or ingest.") var role: String
        @Option(help: "A label for the key.") var name: String = "CLI key"
        @Flag(help: "Print JSON instead of text.") var json = false

        func validate() throws {
            guard UUID(uuidString: tenant) != nil else { throw ArgumentParser.ValidationError("--tenant must be a tenant id (a UUID)") }
            guard APIKeyRole(rawValue: role) != nil else {
                throw ArgumentParser.ValidationError("--role must be one of \(APIKeyRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            do throws(TuttiDomain.ValidationError) { _ = try DisplayName.validate(name) } catch { throw ArgumentParser.ValidationError("--name \(error.message)") }
        }

        func run() async throws {
            let context = try CLIContext.make()
            let tenantID = UUID(uuidString: tenant)!, role = APIKeyRole(rawValue: role)!, name = try DisplayName.validate(name)
            let logger = context.logger
            let issued = try await context.withDatabase { database in
                try await database.withTenant(tenantID, logger: logger) { session -> IssuedAPIKey in
                    guard try await session.tenantGet() != nil else { throw CLIError("no tenant \(tenantID.uuidString.lowercased())") }
                    return try await session.apiKeyIssue(name: name, role: role)
                }
            }
            if json {
                try printJSON(KeyOutput(issued))
            } else {
                print("Key \(issued.key.id.uuidString.lowercased()) (\(role.rawValue)), shown once: \(issued.token)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key; it stops working at once.")

        @Option(help: "The tenant's id.") var tenant: String
        @Argument(help: "The key's id.") var keyID: String

        func validate() throws {
            guard UUID(uuidString: tenant) != nil else { throw ArgumentParser.ValidationError("--tenant must be a tenant id (a UUID)") }
            guard UUID(uuidString: keyID) != nil else { throw ArgumentParser.ValidationError("the key id must be a UUID") }
        }

        func run() async throws {
            let context = try CLIContext.make()
            let tenantID = UUID(uuidString: tenant)!, keyID = UUID(uuidString: keyID)!
            let logger = context.logger
            let revoked = try await context.withDatabase { database in
                try await database.withTenant(tenantID, logger: logger) { session in
                    try await session.apiKeyRevoke(id: keyID)
                }
            }
            guard revoked != nil else { throw CLIError("tenant \(tenantID.uuidString.lowercased()) has no key \(keyID.uuidString.lowercased())") }
            print("Revoked key \(keyID.uuidString.lowercased()).")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a tenant's keys (never their secrets).")

        @Option(help: "The tenant's id.") var tenant: String

        func validate() throws {
            guard UUID(uuidString: tenant) != nil else { throw ArgumentParser.ValidationError("--tenant must be a tenant id (a UUID)") }
        }

        func run() async throws {
            let context = try CLIContext.make()
            let tenantID = UUID(uuidString: tenant)!
            let logger = context.logger
            let keys = try await context.withDatabase { database in
                try await database.withTenant(tenantID, logger: logger) { session in
                    try await session.apiKeyList(page: PageRequest(limit: PageRequest.maximumLimit)).items
                }
            }
            for key in keys {
                let state = key.revokedAt == nil ? "active" : "revoked"
                print("\(key.id.uuidString.lowercased())  \(key.role.rawValue)  \(state)  tutti_\(key.prefix)_…  \(key.name)")
            }
        }
    }
}

/// The JSON the CLI prints for an issued key.
struct KeyOutput: Encodable {
    var id: String
    var name: String
    var role: String
    var prefix: String
    var key: String

    init(_ issued: IssuedAPIKey) {
        id = issued.key.id.uuidString.lowercased()
        name = issued.key.name
        role = issued.key.role.rawValue
        prefix = issued.key.prefix
        key = issued.token
    }
}

/// A CLI failure with a message for the person at the terminal.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
