import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

/// A consent change and the evidence for it, as the consent ledger keeps it.
public struct ConsentChange: Sendable, Equatable {
    public var channel: ConsentChannel
    public var topic: String
    public var status: ConsentStatus
    public var source: String?
    public var ip: String?
    public var userAgent: String?
    public var wordingVersion: String?

    public init(channel: ConsentChannel, topic: String = "", status: ConsentStatus, source: String? = nil,
                ip: String? = nil, userAgent: String? = nil, wordingVersion: String? = nil) {
        self.channel = channel
        self.topic = topic
        self.status = status
        self.source = source
        self.ip = ip
        self.userAgent = userAgent
        self.wordingVersion = wordingVersion
    }
}

/// A customer's current consent for one channel and topic.
public struct ConsentState: Sendable, Equatable {
    public var channel: ConsentChannel
    public var topic: String
    public var status: ConsentStatus
    public var source: String?
    public var updatedAt: Date
}

extension TenantSession {
    /// Records a consent change for a live customer: the current state and, append-only, the
    /// evidence. Returns the new state.
    public func consentSet(customerID: UUID, _ change: ConsentChange) async throws -> ConsentState {
        try await execute(
            """
            INSERT INTO consent_ledger (tenant_id, id, customer_id, channel, topic, status, source, ip, user_agent, wording_version)
            VALUES (\(tenantID), \(UUID.v7()), \(customerID), \(change.channel.rawValue), \(change.topic), \(change.status.rawValue),
                    \(change.source), \(change.ip), \(change.userAgent), \(change.wordingVersion))
            """)
        let rows = try await query(
            """
            INSERT INTO consents (tenant_id, customer_id, channel, topic, status, source, updated_at)
            VALUES (\(tenantID), \(customerID), \(change.channel.rawValue), \(change.topic), \(change.status.rawValue), \(change.source), now())
            ON CONFLICT (tenant_id, customer_id, channel, topic) DO UPDATE
            SET status = EXCLUDED.status, source = EXCLUDED.source, updated_at = EXCLUDED.updated_at
            RETURNING updated_at
            """)
        var updatedAt = Date()
        for try await value in rows.decode(Date.self) { updatedAt = value }
        return ConsentState(channel: change.channel, topic: change.topic, status: change.status, source: change.source, updatedAt: updatedAt)
    }

    /// A live customer's consents, by channel then topic.
    public func consentList(customerID: UUID) async throws -> [ConsentState] {
        let rows = try await query(
            """
            SELECT channel, topic, status, source, updated_at FROM consents
            WHERE tenant_id = \(tenantID) AND customer_id = \(customerID) ORDER BY channel, topic
            """)
        var states: [ConsentState] = []
        for try await (channel, topic, status, source, updatedAt) in rows.decode((String, String, String, String?, Date).self) {
            guard let channel = ConsentChannel(rawValue: channel), let status = ConsentStatus(rawValue: status) else { continue }
            states.append(ConsentState(channel: channel, topic: topic, status: status, source: source, updatedAt: updatedAt))
        }
        return states
    }

    /// Adds or replaces a suppression of `identity`.
    public func suppressionSet(_ identity: Identity, reason: SuppressionReason, note: String?) async throws {
        try await execute(
            """
            INSERT INTO suppressions (tenant_id, identity_type, identity_value, reason, note)
            VALUES (\(tenantID), \(identity.type.description), \(identity.value), \(reason.rawValue), \(note))
            ON CONFLICT (tenant_id, identity_type, identity_value) DO UPDATE SET reason = EXCLUDED.reason, note = EXCLUDED.note
            """)
    }

    /// Removes a suppression; false when there was none.
    public func suppressionRemove(_ identity: Identity) async throws -> Bool {
        let rows = try await query(
            """
            DELETE FROM suppressions WHERE tenant_id = \(tenantID) AND identity_type = \(identity.type.description)
              AND identity_value = \(identity.value) RETURNING 1
            """)
        if try await rows.firstRow() != nil { return true }
        return false
    }

    /// The suppressions among `identities`, with their reasons.
    public func suppressionList(_ identities: [Identity]) async throws -> [(Identity, SuppressionReason, Date)] {
        guard !identities.isEmpty else { return [] }
        let rows = try await query(
            """
            SELECT s.identity_type, s.identity_value, s.reason, s.created_at FROM suppressions s
            JOIN unnest(\(identities.map(\.type.description))::text[], \(identities.map(\.value))::text[]) AS w(t, v)
              ON s.identity_type = w.t AND s.identity_value = w.v
            WHERE s.tenant_id = \(tenantID)
            """)
        var result: [(Identity, SuppressionReason, Date)] = []
        for try await (type, value, reason, createdAt) in rows.decode((String, String, String, Date).self) {
            guard let type = IdentityType(type), let reason = SuppressionReason(rawValue: reason) else { continue }
            result.append((Identity(stored: type, value: value), reason, createdAt))
        }
        return result
    }
}
