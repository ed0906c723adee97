import Foundation
import Logging
import PostgresNIO
import TuttiDomain
import TuttiQueue

extension Database {
    /// Resolves a bearer token to the tenant and role it speaks for, or nil when the token is
    /// unknown, wrong or revoked (the caller cannot tell which: that would help an attacker).
    ///
    /// The lookup runs before the tenant is known, through the owner's `api_key_authenticate`
    /// function, the one narrow door through row-level security.
    public func apiKeyAuthenticate(_ token: APIKeyToken, logger: Logger) async throws(StoreError) -> Principal? {
        try await apiKeyAuthenticate(prefix: token.prefix, secretHash: APIKeySecretHash.digest(of: token.secret), logger: logger)
    }

    /// ``apiKeyAuthenticate(_:logger:)``, answered from `cache` when it knows the key, and
    /// remembered there when the database says yes. With a nil cache, always the database.
    public func apiKeyAuthenticate(_ token: APIKeyToken, cache: APIKeyCache?, logger: Logger) async throws(StoreError) -> Principal? {
        guard let cache else { return try await apiKeyAuthenticate(token, logger: logger) }
        let hash = APIKeySecretHash.digest(of: token.secret)
        if let principal = cache.principal(prefix: token.prefix, secretHash: hash) { return principal }
        let admission = cache.admission()
        guard let principal = try await apiKeyAuthenticate(prefix: token.prefix, secretHash: hash, logger: logger) else { return nil }
        if let admission { cache.store(principal, prefix: token.prefix, secretHash: hash, admission: admission) }
        return principal
    }

    private func apiKeyAuthenticate(prefix: String, secretHash hash: Data, logger: Logger) async throws(StoreError) -> Principal? {
        do {
            let rows = try await client.query(
                "SELECT tenant_id, key_id, role FROM api_key_authenticate(\(prefix), \(hash))", logger: logger)
            for try await (tenantID, keyID, roleText) in rows.decode((UUID, UUID, String).self) {
                guard let role = APIKeyRole(rawValue: roleText) else { return nil }
                return Principal(tenantID: tenantID, keyID: keyID, role: role)
            }
            return nil
        } catch {
            throw StoreError(error)
        }
    }

    /// Deletes stored idempotent responses older than `age` for every tenant; returns how many.
    public func idempotencyPurgeExpired(olderThan age: Duration, logger: Logger) async throws(StoreError) -> Int {
        try await scalar("SELECT idempotency_keys_purge_expired(make_interval(secs => \(Int(age.components.seconds))))", logger: logger)
    }
}

extension Database {
    /// Makes sure monthly partitions of `events` exist from this month for `months` months
    /// (run by the scheduler; the owner's `events_partitions_ensure` creates them). Returns how
    /// many were created.
    public func eventPartitionsEnsure(months: Int, logger: Logger) async throws(StoreError) -> Int {
        do {
            let rows = try await client.query("SELECT events_partitions_ensure(current_date, \(months)::integer)", logger: logger)
            if let created = try await rows.decode(Int.self).firstRow() { return created }
            return 0
        } catch {
            throw StoreError(error)
        }
    }
}
