import ArgumentParser
import Foundation
import TuttiDomain
import TuttiStore

/// `tutti tenant create`: a new tenant and its first admin key (shown once).
struct TenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant", abstract: "Manage tenants.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a tenant with a first admin key.")

        @Option(help: "The tenant's display name.")
        var name: String

        @Flag(help: "Print JSON instead of text.")
        var json = false

        func validate() throws {
            do throws(TuttiDomain.ValidationError) { _ = try DisplayName.validate(name) } catch { throw ArgumentParser.ValidationError("--name \(error.message)") }
        }

        func run() async throws {
            let context = try CLIContext.make()
            let name = try DisplayName.validate(name)
            let tenantID = UUID.v7()
            let logger = context.logger
            let (tenant, issued) = try await context.withDatabase { database in
                try await database.withTenant(tenantID, logger: logger) { session in
                    (try await session.tenantInsert(name: name), try await session.apiKeyIssue(name: "First admin key", role: .admin))
                }
            }
            if json {
                try printJSON(TenantOutput(tenant: .init(tenant), apiKey: .init(issued)))
            } else {
                print("Tenant \(tenant.name): \(tenant.id.uuidString.lowercased())")
                print("Admin key (shown once): \(issued.token)")
            }
        }
    }
}

struct TenantOutput: Encodable {
    struct TenantJSON: Encodable {
        var id: String
        var name: String
        init(_ tenant: Tenant) {
            id = tenant.id.uuidString.lowercased()
            name = tenant.name
        }
    }

    var tenant: TenantJSON
    var apiKey: KeyOutput

    enum CodingKeys: String, CodingKey {
        case tenant
        case apiKey = "api_key"
    }
}
