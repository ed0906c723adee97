import Foundation
import Foundation
import PostgresNIO
import TuttiQueue

/// What to do with a POST that carries an `Idempotency-Key`.
public enum IdempotencyDecision: Sendable, Equatable {
    /// First time (or the stored answer expired): run the request, then record its response.
    case proceed
    /// Seen before with the same body: send the stored response again.
    case replay(status: Int, contentType: String?, body: Data)
    /// The key was used for a different request; refusing protects the client from a mistake.
    case mismatch
    /// The first request with this key is still running.
    case inProgress
}

extension TenantSession {
    /// Claims `key` for a request, or says how it was used before. Expired claims (older than
    /// `retention`) are replaced. Commit the session before running the request so that a
    /// concurrent duplicate sees the claim.
    ///
    /// A claim still without a response after `abandonAfter` is taken over as well: the
    /// process that made it died before it could record the answer or release the key (a
    /// request that fails releases it), and without this the client's retries would get 409
    /// until the retention ran out. No request the middleware wraps runs that long.
    public func idempotencyBegin(
        key: String, method: String, path: String, requestHash: Data, retention: Duration,
        abandonAfter: Duration = .seconds(120)
    ) async throws -> IdempotencyDecision {
        let seconds = Int(retention.components.seconds)
        let abandoned = Int(abandonAfter.components.seconds)
        try await execute(
            """
            DELETE FROM idempotency_keys
            WHERE tenant_id = \(tenantID) AND key = \(key)
              AND (created_at < now() - make_interval(secs => \(seconds))
                   OR (status IS NULL AND created_at < now() - make_interval(secs => \(abandoned))))
            """)
        let claimed = try await query(
            """
            INSERT INTO idempotency_keys (tenant_id, key, method, path, request_hash)
            VALUES (\(tenantID), \(key), \(method), \(path), \(requestHash))
            ON CONFLICT (tenant_id, key) DO NOTHING
            RETURNING 1
            """)
        if try await claimed.firstRow() != nil { return .proceed }
        let rows = try await query(
            """
            SELECT method, path, request_hash, status, content_type, body FROM idempotency_keys
            WHERE tenant_id = \(tenantID) AND key = \(key)
            """)
        for try await (storedMethod, storedPath, storedHash, status, contentType, body) in rows.decode(
            (String, String, Data, Int?, String?, Data?).self)
        {
            guard storedMethod == method, storedPath == path, storedHash == requestHash else { return .mismatch }
            guard let status else { return .inProgress }
            return .replay(status: status, contentType: contentType, body: body ?? Data())
        }
        return .proceed
    }

    /// Records the response to replay for `key`.
    public func idempotencyComplete(key: String, status: Int, contentType: String?, body: Data) async throws {
        try await execute(
            """
            UPDATE idempotency_keys SET status = \(status), content_type = \(contentType), body = \(body)
            WHERE tenant_id = \(tenantID) AND key = \(key)
            """)
    }

    /// Releases `key` after a failure that the client should be free to retry.
    public func idempotencyAbandon(key: String) async throws {
        try await execute("DELETE FROM idempotency_keys WHERE tenant_id = \(tenantID) AND key = \(key) AND status IS NULL")
    }
}
