import Foundation
import Logging
import PostgresNIO
import TuttiDomain
import TuttiStore

/// A tenant made for one test, with an admin key.
public struct TestTenant: Sendable {
    public var tenant: Tenant
    public var adminKey: IssuedAPIKey

    /// Bearer header value for the admin key.
    public var adminAuthorization: String { "Bearer \(adminKey.token)" }

    /// Creates a tenant named `name` (made unique) with an admin key, through `database`.
    public static func make(_ name: String = "Test tenant", in database: Database) async throws -> TestTenant {
        let id = UUID.v7()
        return try await database.withTenant(id, logger: TestDatabase.logger) { session in
            let tenant = try await session.tenantInsert(name: "\(name) \(id.uuidString.prefix(8))")
            let key = try await session.apiKeyIssue(name: "admin", role: .admin)
            return TestTenant(tenant: tenant, adminKey: key)
        }
    }
}

/// Runs `body` with a pooled ``Database`` for this run's migrated database.
public func withTestDatabase<T: Sendable>(_ body: @Sendable @escaping (Database) async throws -> T) async throws -> T {
    let urls = try await TestDatabase.shared.migratedDatabase()
    return try await Database.withShortLivedPool(urls.app, maximumConnections: 8, logger: TestDatabase.logger, body)
}
