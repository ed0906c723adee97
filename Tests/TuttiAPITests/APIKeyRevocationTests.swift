import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import Testing
import TuttiDomain
import TuttiStore
import TuttiTestSupport

@testable import TuttiAPI

/// A cached key must stop working as soon as it is revoked, whoever revokes it: the API of this
/// process, another process, `tutti key revoke` or SQL by hand. The cache's TTL here is five
/// minutes, so only the NOTIFY path can make these tests pass in time.
@Suite("API key revocation reaches the cache")
struct APIKeyRevocationTests {
    let logger = TestDatabase.logger

    /// Runs `body` with a cache whose revocation listener is subscribed.
    func withListeningCache(_ database: Database, _ body: @Sendable @escaping (APIKeyCache) async throws -> Void) async throws {
        let cache = APIKeyCache(ttl: .seconds(300))
        let listener = APIKeyRevocationListener(client: database.client, cache: cache, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await listener.run() }
            defer { group.cancelAll() }
            try await waitUntil("the listener subscribes") { cache.isListening }
            try await body(cache)
        }
    }

    /// Authenticates `token` until the cache holds it: a lookup is not cached when any
    /// revocation is heard while it runs, and other tests revoke keys on this database.
    func cache(_ token: APIKeyToken, in cache: APIKeyCache, _ database: Database) async throws {
        let hash = APIKeySecretHash.digest(of: token.secret)
        try await waitUntil("the key is cached") {
            _ = try await database.apiKeyAuthenticate(token, cache: cache, logger: logger)
            return cache.principal(prefix: token.prefix, secretHash: hash) != nil
        }
    }

    func waitUntil(_ what: String, within limit: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + limit
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw TestSetupError("timed out waiting until \(what)") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    @Test func revokingInAnotherSessionEvictsTheKeyAtOnce() async throws {
        try await withTestDatabase { database in
            try await withListeningCache(database) { cache in
                let tenant = try await TestTenant.make(in: database)
                let token = try #require(APIKeyToken(parsing: tenant.adminKey.token))
                let hash = APIKeySecretHash.digest(of: token.secret)
                try await self.cache(token, in: cache, database)

                // As another API process or `tutti key revoke` would: nothing tells this cache directly.
                let revokedAt = ContinuousClock.now
                _ = try await database.withTenant(tenant.tenant.id, logger: logger) { try await $0.apiKeyRevoke(id: tenant.adminKey.key.id) }
                try await waitUntil("the revocation is heard", within: .seconds(5)) { cache.principal(prefix: token.prefix, secretHash: hash) == nil }
                let heardAfter = ContinuousClock.now - revokedAt
                #expect(heardAfter < .seconds(2), "heard after \(heardAfter)")
                #expect(try await database.apiKeyAuthenticate(token, cache: cache, logger: logger) == nil)
            }
        }
    }

    @Test func renamingAKeyOrUsingItKeepsItCached() async throws {
        try await withTestDatabase { database in
            try await withListeningCache(database) { cache in
                let tenant = try await TestTenant.make(in: database)
                let sentinel = try await TestTenant.make(in: database)
                let token = try #require(APIKeyToken(parsing: tenant.adminKey.token))
                let sentinelToken = try #require(APIKeyToken(parsing: sentinel.adminKey.token))
                // The first use also refreshes last_used_at. A lookup is not cached when any
                // revocation is heard while it runs (other tests revoke keys on this database),
                // so authenticate until both keys are in the cache.
                try await self.cache(token, in: cache, database)
                try await self.cache(sentinelToken, in: cache, database)
                _ = try await database.withTenant(tenant.tenant.id, logger: logger) { try await $0.apiKeyRename(id: tenant.adminKey.key.id, name: "renamed") }

                // Notifications arrive in commit order: once the sentinel's revocation is heard, any
                // notification the rename or the use had sent would have been heard too.
                _ = try await database.withTenant(sentinel.tenant.id, logger: logger) { try await $0.apiKeyRevoke(id: sentinel.adminKey.key.id) }
                try await waitUntil("the sentinel's revocation is heard") {
                    cache.principal(prefix: sentinelToken.prefix, secretHash: APIKeySecretHash.digest(of: sentinelToken.secret)) == nil
                }
                #expect(cache.principal(prefix: token.prefix, secretHash: APIKeySecretHash.digest(of: token.secret)) != nil)
            }
        }
    }

    @Test func deletingATenantEvictsItsKeys() async throws {
        try await withTestDatabase { database in
            try await withListeningCache(database) { cache in
                let tenant = try await TestTenant.make(in: database)
                let token = try #require(APIKeyToken(parsing: tenant.adminKey.token))
                let hash = APIKeySecretHash.digest(of: token.secret)
                try await self.cache(token, in: cache, database)
                try await database.withTenant(tenant.tenant.id, logger: logger) { session in
                    try await session.connection.query("DELETE FROM tenants WHERE id = \(tenant.tenant.id)", logger: logger)
                }
                try await waitUntil("the deletion is heard", within: .seconds(5)) { cache.principal(prefix: token.prefix, secretHash: hash) == nil }
                #expect(try await database.apiKeyAuthenticate(token, cache: cache, logger: logger) == nil)
            }
        }
    }

    @Test func aKeyRevokedElsewhereIsRefusedByTheAPIWithinTheNotificationDelay() async throws {
        try await withAPI(apiKeyCacheTTL: .seconds(300)) { client in
            let tenant = try await client.createTenant()
            let editor = try await client.createKey(tenant, role: "editor")
            let headers: HTTPFields = [.authorization: "Bearer \(editor.token)"]
            for _ in 0..<3 {
                try await client.execute(uri: "/v1/tenant", method: .get, headers: headers) { #expect($0.status == .ok) }
            }
            // Revoked by another process: the API under test is not told directly.
            try await withTestDatabase { database in
                let tenantID = try #require(UUID(uuidString: tenant.id))
                let keyID = try #require(UUID(uuidString: editor.id))
                _ = try await database.withTenant(tenantID, logger: logger) { try await $0.apiKeyRevoke(id: keyID) }
            }
            try await waitUntil("the API refuses the key", within: .seconds(5)) {
                try await client.execute(uri: "/v1/tenant", method: .get, headers: headers) { $0.status == .unauthorized }
            }
        }
    }
}
