import Foundation
import PostgresNIO
import TuttiDomain

extension TenantSession {
    /// Appends events in one statement (``EventInsertStatement``); an event whose message id
    /// was stored before (by this or a concurrent request) is skipped. Purchases (the tenant's
    /// conversion event) also update the buyer's customer value metric in the same statement.
    /// Returns how many events were stored.
    @discardableResult
    public func eventInsert(_ events: [CustomerEvent]) async throws -> Int {
        guard !events.isEmpty else { return 0 }
        var stored = 0
        for try await count in try await connection.execute(EventInsertStatement(tenantID: tenantID, events: events), logger: logger) {
            stored = count
        }
        return stored
    }

    /// Which of `messageIDs` were stored before, and the live customer each identity belongs
    /// to, in one round trip (``IngestLookupStatement``).
    public func ingestLookup(messageIDs: [String], identities: [Identity]) async throws -> (seen: Set<String>, owners: [Identity: UUID]) {
        guard !messageIDs.isEmpty || !identities.isEmpty else { return ([], [:]) }
        var seen: Set<String> = []
        var owners: [Identity: UUID] = [:]
        let statement = IngestLookupStatement(tenantID: tenantID, messageIDs: messageIDs, identities: identities)
        for try await (type, value, customerID) in try await connection.execute(statement, logger: logger) {
            guard let type else {
                seen.insert(value)
                continue
            }
            if let identityType = IdentityType(type), let customerID { owners[Identity(stored: identityType, value: value)] = customerID }
        }
        return (seen, owners)
    }

    /// The live customers that each identity belongs to (one query for a whole batch).
    public func customerIDs(for identities: [Identity]) async throws -> [Identity: UUID] {
        guard !identities.isEmpty else { return [:] }
        let rows = try await query(
            """
            SELECT i.type, i.value, i.customer_id FROM customer_identities i
            JOIN unnest(\(identities.map(\.type.description))::text[], \(identities.map(\.value))::text[]) AS w(t, v)
              ON i.type = w.t AND i.value = w.v
            WHERE i.tenant_id = \(tenantID)
            """)
        var owners: [Identity: UUID] = [:]
        for try await (type, value, customerID) in rows.decode((String, String, UUID).self) {
            if let type = IdentityType(type) { owners[Identity(stored: type, value: value)] = customerID }
        }
        return owners
    }
}
