import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

/// What an erasure removed.
public struct ErasureReport: Sendable, Equatable {
    public var customerIDs: [UUID]
    public var identities: Int
    public var events: Int
}

extension TenantSession {
    /// Erases a live customer and every customer merged into it: profile, identities, events,
    /// consents and their ledger, merges. Keeps only salted hashes of the identities (so that
    /// their re-import can be refused) and an audit record. Message ids stay, so a replayed
    /// event cannot bring an erased one back.
    public func customerErase(id: UUID, requestID: String?) async throws -> ErasureReport {
        let members = try await customerMembers(id: id)
        let hashed = try await query(
            """
            WITH hashed AS (
                INSERT INTO erased_identities (tenant_id, identity_hash)
                SELECT \(tenantID), sha256(t.erasure_salt || convert_to(i.type || ':' || i.value, 'UTF8'))
                FROM customer_identities i JOIN tenants t ON t.id = i.tenant_id
                WHERE i.tenant_id = \(tenantID) AND i.customer_id = ANY(\(members))
                ON CONFLICT DO NOTHING
                RETURNING 1
            )
            SELECT (SELECT count(*)::int FROM customer_identities WHERE tenant_id = \(tenantID) AND customer_id = ANY(\(members))),
                   (SELECT count(*)::int FROM hashed)
            """)
        var identities = 0
        for try await (count, _) in hashed.decode((Int, Int).self) { identities = count }
        let deletedEvents = try await query(
            """
            WITH gone AS (DELETE FROM events WHERE tenant_id = \(tenantID) AND customer_id = ANY(\(members)) RETURNING 1)
            SELECT count(*)::int FROM gone
            """)
        var events = 0
        for try await count in deletedEvents.decode(Int.self) { events = count }
        try await execute("DELETE FROM customer_merges WHERE tenant_id = \(tenantID) AND (survivor_id = ANY(\(members)) OR merged_id = ANY(\(members)))")
        try await execute("DELETE FROM customers WHERE tenant_id = \(tenantID) AND id = ANY(\(members))")
        let details = JSONValue.object([
            "customer_ids": .array(members.map { .string($0.uuidString.lowercased()) }),
            "identities": .number(Double(identities)), "events": .number(Double(events)),
        ]).jsonText
        try await execute(
            """
            INSERT INTO audit_log (tenant_id, id, action, subject, details, request_id)
            VALUES (\(tenantID), \(UUID.v7()), 'customer.erased', \(id.uuidString.lowercased()), \(details)::jsonb, \(requestID))
            """)
        return ErasureReport(customerIDs: members, identities: identities, events: events)
    }

    /// Whether `identity` was erased (its re-import is refused).
    public func identityWasErased(_ identity: Identity) async throws -> Bool {
        let rows = try await query(
            """
            SELECT 1 FROM erased_identities e JOIN tenants t ON t.id = e.tenant_id
            WHERE e.tenant_id = \(tenantID)
              AND e.identity_hash = sha256(t.erasure_salt || convert_to(\(identity.description), 'UTF8'))
            """)
        if try await rows.firstRow() != nil { return true }
        return false
    }

    /// A live customer and every customer merged into it, transitively.
    public func customerMembers(id: UUID) async throws -> [UUID] {
        let rows = try await query(
            """
            WITH RECURSIVE members AS (
                SELECT \(id)::uuid AS id
                UNION ALL
                SELECT c.id FROM customers c JOIN members m ON c.tenant_id = \(tenantID) AND c.merged_into = m.id
            )
            SELECT id FROM members
            """)
        var ids: [UUID] = []
        for try await member in rows.decode(UUID.self) { ids.append(member) }
        return ids
    }

    /// Every event of a live customer and the customers merged into it, oldest first, for export.
    public func eventExport(customerIDs: [UUID]) async throws -> [CustomerEvent] {
        let rows = try await query(
            """
            SELECT id, customer_id, kind, name, properties::text, context::text, channel, message_id, occurred_at FROM events
            WHERE tenant_id = \(tenantID) AND customer_id = ANY(\(customerIDs)) ORDER BY occurred_at, id
            """)
        var events: [CustomerEvent] = []
        for try await (id, customerID, kind, name, properties, context, channel, messageID, occurredAt) in rows.decode(
            (UUID, UUID, String, String, String, String, String?, String?, Date).self)
        {
            events.append(CustomerEvent(
                id: id, customerID: customerID, kind: CustomerEvent.Kind(rawValue: kind) ?? .system, name: name,
                properties: JSONColumns.object(properties), context: JSONColumns.object(context), channel: channel,
                messageID: messageID, occurredAt: occurredAt))
        }
        return events
    }
}
