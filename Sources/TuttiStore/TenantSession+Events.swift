import Foundation
import PostgresNIO
import TuttiDomain

extension TenantSession {
    /// Appends events in one statement (``EventInsertStatement``); an event whose message id
    /// was stored before (by this or a concurrent request) is skipped. Purchases (the tenant's
    /// conversion event) also update the buyer's customer value metric in the same statement,
    /// and a buyer who had one is scored again by a second. Returns how many events were stored.
    @discardableResult
    public func eventInsert(_ events: [CustomerEvent]) async throws -> Int {
        guard !events.isEmpty else { return 0 }
        var stored = 0
        var unscored: [UUID] = []
        for try await row in try await connection.execute(
            EventInsertStatement(tenantID: tenantID, events: events), logger: logger)
        {
            (stored, unscored) = row
        }
        try await customerValueRescore(customerIDs: unscored)
        return stored
    }

    /// Which of `messageIDs` were already stored (replays to skip).
    public func eventMessageIDsSeen(_ messageIDs: [String]) async throws -> Set<String> {
        guard !messageIDs.isEmpty else { return [] }
        let rows = try await query(
            "SELECT message_id FROM event_message_ids WHERE tenant_id = \(tenantID) AND message_id = ANY(\(messageIDs))")
        var seen: Set<String> = []
        for try await id in rows.decode(String.self) { seen.insert(id) }
        return seen
    }

    /// The live customers that each identity belongs to, in one prepared statement
    /// (``IdentityOwnersStatement``): ingestion asks it for every batch.
    public func customerIDs(for identities: [Identity]) async throws -> [Identity: UUID] {
        guard !identities.isEmpty else { return [:] }
        var owners: [Identity: UUID] = [:]
        let statement = IdentityOwnersStatement(tenantID: tenantID, identities: identities)
        for try await (type, value, customerID) in try await connection.execute(statement, logger: logger) {
            if let type = IdentityType(type) { owners[Identity(stored: type, value: value)] = customerID }
        }
        return owners
    }
}
