import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

/// A contact policy as stored: the policy and when it was last changed.
public struct StoredContactPolicy: Sendable, Hashable {
    public var policy: ContactPolicy
    /// When the policy was last set; nil for a tenant without one.
    public var updatedAt: Date?
}

/// A stored policy that no longer parses: written by hand, or by a version that knew more.
public struct UnreadableContactPolicy: Error, Sendable {}

extension TenantSession {
    /// The tenant's contact policy; an empty policy (no caps, no quiet hours) when none is set.
    public func contactPolicyGet() async throws -> StoredContactPolicy {
        let rows = try await query("SELECT policy::text, updated_at FROM contact_policies WHERE tenant_id = \(tenantID)")
        for try await (text, updatedAt) in rows.decode((String, Date).self) {
            return StoredContactPolicy(policy: try Self.storedPolicy(text), updatedAt: updatedAt)
        }
        return StoredContactPolicy(policy: ContactPolicy(), updatedAt: nil)
    }

    /// Replaces the tenant's contact policy. An empty policy removes the row, so that a
    /// tenant without caps or quiet hours costs the delivery claim nothing (it reads only
    /// whether the row exists).
    @discardableResult
    public func contactPolicyPut(_ policy: ContactPolicy) async throws -> StoredContactPolicy {
        guard !policy.isEmpty else {
            try await execute("DELETE FROM contact_policies WHERE tenant_id = \(tenantID)")
            return StoredContactPolicy(policy: policy, updatedAt: nil)
        }
        let rows = try await query(
            """
            INSERT INTO contact_policies (tenant_id, policy) VALUES (\(tenantID), \(policy.json.jsonText)::jsonb)
            ON CONFLICT (tenant_id) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at
            RETURNING updated_at
            """)
        let updatedAt = try await rows.decode(Date.self).firstRow()
        return StoredContactPolicy(policy: policy, updatedAt: updatedAt)
    }

    /// A stored policy document, parsed again; a row that no longer parses (written by a
    /// version that knew more) is an error rather than no policy, which would send freely.
    static func storedPolicy(_ text: String) throws -> ContactPolicy {
        guard let json = JSONValue.parse(text), let policy = try? ContactPolicy(json: json) else {
            throw UnreadableContactPolicy()
        }
        return policy
    }
}

extension TenantSession {
    /// The tenant's default time zone (an IANA name; `UTC` unless set).
    public func tenantTimeZone() async throws -> String {
        let rows = try await query("SELECT time_zone FROM tenants WHERE id = \(tenantID)")
        return try await rows.decode(String.self).firstRow() ?? "UTC"
    }

    /// Sets the tenant's default time zone. Returns false, changing nothing, when `name` is not
    /// a zone this database knows (`tutti_known_time_zone`, sql/0050): the zone must work in
    /// the audience build's SQL as well as in Swift.
    public func tenantSetTimeZone(_ name: String) async throws -> Bool {
        let rows = try await query(
            "UPDATE tenants SET time_zone = \(name) WHERE id = \(tenantID) AND tutti_known_time_zone(\(name)) RETURNING true")
        return try await rows.decode(Bool.self).firstRow() ?? false
    }
}
