import Foundation

/// What a `NOTIFY tutti_api_keys` says: a key changed in a way that matters to authentication
/// (revoked, deleted), or a whole tenant's keys did. API processes evict it from their
/// ``APIKeyCache``.
///
/// Triggers send it (migration 0010), not application code, so that every way of revoking a key
/// — the API, `tutti key revoke`, SQL typed by hand — tells every API process. The payload is
/// `key <prefix>` or `tenant <tenant id>`: a key's prefix is not secret.
public enum APIKeyNotification: Sendable, Hashable {
    /// The LISTEN channel.
    public static let channel = "tutti_api_keys"

    case key(prefix: String)
    case tenant(UUID)

    /// Parses a notification's payload; nil for anything else (ignore it).
    public init?(payload: String) {
        let parts = payload.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        if parts[0] == "key", !parts[1].isEmpty {
            self = .key(prefix: String(parts[1]))
        } else if parts[0] == "tenant", let id = UUID(uuidString: String(parts[1])) {
            self = .tenant(id)
        } else {
            return nil
        }
    }
}
