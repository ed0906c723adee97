import Foundation
import Testing
import PostgresNIO
import TuttiDomain
import TuttiStore
import TuttiTestSupport

@Suite("API key authentication")
struct AuthenticationTests {
    let logger = TestDatabase.logger

    @Test func validTokenResolvesToItsTenantAndRole() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make(in: database)
            let token = try #require(APIKeyToken(parsing: tenant.adminKey.token))
            let principal = try await database.apiKeyAuthenticate(token, logger: logger)
            #expect(principal == Principal(tenantID: tenant.tenant.id, keyID: tenant.adminKey.key.id, role: .admin))
        }
    }

    @Test func rightPrefixWithWrongSecretIsRefused() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make(in: database)
            let real = try #require(APIKeyToken(parsing: tenant.adminKey.token))
            let forged = APIKeyToken(prefix: real.prefix, secret: APIKeyToken.generate().secret)
            #expect(try await database.apiKeyAuthenticate(forged, logger: logger) == nil)
        }
    }

    @Test func revokedKeyIsRefused() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make(in: database)
            _ = try await database.withTenant(tenant.tenant.id, logger: logger) { try await $0.apiKeyRevoke(id: tenant.adminKey.key.id) }
            let token = try #require(APIKeyToken(parsing: tenant.adminKey.token))
            #expect(try await database.apiKeyAuthenticate(token, logger: logger) == nil)
        }
    }

    @Test func authenticationRecordsLastUse() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make(in: database)
            #expect(tenant.adminKey.key.lastUsedAt == nil)
            let token = try #require(APIKeyToken(parsing: tenant.adminKey.token))
            _ = try await database.apiKeyAuthenticate(token, logger: logger)
            let key = try await database.withTenant(tenant.tenant.id, logger: logger) { try await $0.apiKeyGet(id: tenant.adminKey.key.id) }
            #expect(key?.lastUsedAt != nil)
        }
    }

    @Test func onlyTheSecretsHashIsStored() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make(in: database)
            let token = try #require(APIKeyToken(parsing: tenant.adminKey.token))
            let stored = try await database.withTenant(tenant.tenant.id, logger: logger) { session in
                var hash = Data()
                for try await value in try await session.connection.query(
                    "SELECT secret_hash FROM api_keys WHERE tenant_id = \(tenant.tenant.id) AND id = \(tenant.adminKey.key.id)",
                    logger: logger).decode(Data.self) { hash = value }
                return hash
            }
            #expect(stored == APIKeySecretHash.digest(of: token.secret))
            #expect(stored != Data(token.secret.utf8))
        }
    }
}
