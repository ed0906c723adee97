/// What an API key may do. Roles are ordered by breadth for the management routes, while
/// `ingest` is deliberately narrow: a write key embedded in a website must not read profiles.
public enum APIKeyRole: String, Sendable, Codable, CaseIterable {
    /// Everything, including managing the tenant's keys.
    case admin
    /// Reads and writes marketing content (segments, campaigns, …) but not keys.
    case editor
    /// Reads only.
    case viewer
    /// Sends tracking data through the ingestion routes only.
    case ingest

    /// Whether a key of this role may perform `permission`.
    public func permits(_ permission: Permission) -> Bool {
        switch (self, permission) {
        case (.admin, _): true
        case (.editor, .read), (.editor, .write), (.editor, .ingest): true
        case (.viewer, .read): true
        case (.ingest, .ingest): true
        default: false
        }
    }
}

/// A capability a route requires of the key that calls it.
public enum Permission: String, Sendable, CaseIterable {
    /// Read tenant data.
    case read
    /// Create or change tenant data.
    case write
    /// Create, list and revoke API keys; change the tenant itself.
    case administer
    /// Send tracking events.
    case ingest
}
