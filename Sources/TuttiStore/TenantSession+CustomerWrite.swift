import Foundation
import PostgresNIO
import TuttiDomain

/// Why a customer write was refused.
public enum CustomerWriteError: Error, Sendable, Equatable {
    /// The write named a customer id that does not exist.
    case customerNotFound(UUID)
    /// An identity was erased at the customer's request and may not come back.
    case erasedIdentity(Identity)
}

extension TenantSession {
    /// Creates or updates the customer that `write`'s identities belong to.
    ///
    /// Identities of several customers merge them into the oldest (see ``MergeSurvivor``).
    /// Concurrent writes naming the same identity are serialized by transaction-level advisory
    /// locks taken in a fixed order, and the identities' primary key guarantees that an
    /// identity never belongs to two customers whatever happens. Bulk writers (imports and
    /// Segment batches, ``importWrite(_:source:requestID:)``) take no advisory locks: when one
    /// of them commits an identity this write was about to claim, the write notices that the
    /// identity did not become its customer's and resolves again, now merging with the bulk
    /// writer's customer (a customer it had just created for nothing is deleted first).
    public func customerWrite(_ write: CustomerWrite, requestID: String?) async throws -> CustomerWriteResult {
        let identities = Array(Set(write.identities)).sorted { $0.description < $1.description }
        if !identities.isEmpty {
            try await execute(
                """
                SELECT pg_advisory_xact_lock(hashtextextended(\(tenantID)::text || ':' || k, 0))
                FROM (SELECT t || ':' || v AS k FROM unnest(\(identities.map(\.type.description))::text[], \(identities.map(\.value))::text[]) AS w(t, v)
                      ORDER BY 1) AS keys
                """)
        }
        var merges: [CustomerMergeRecord] = []
        for round in 1...Self.customerWriteRounds {
            let (survivor, created, missing) = try await customerResolveAndClaim(identities, write: write, requestID: requestID, merges: &merges)
            if missing == 0 || round == Self.customerWriteRounds {
                if !write.attributes.isEmpty {
                    try await customerApplyAttributes(id: survivor, write.attributes, source: write.source)
                } else if !created {
                    try await execute("UPDATE customers SET updated_at = now() WHERE tenant_id = \(tenantID) AND id = \(survivor)")
                }
                return CustomerWriteResult(customerID: survivor, created: created, merges: merges)
            }
            logger.debug("customer write resolved again: a bulk writer committed one of its identities", metadata: ["customer.write.round": "\(round)"])
            if created { try await execute("DELETE FROM customers WHERE tenant_id = \(tenantID) AND id = \(survivor)") }
        }
        preconditionFailure("the last round returns")
    }

    /// How often ``customerWrite(_:requestID:)`` resolves its identities again when bulk writers
    /// keep taking them; each round follows a commit of theirs, so more are never needed in practice.
    static let customerWriteRounds = 4

    /// Finds (merging as needed) or creates the customer that `identities` belong to and adds
    /// the identities nobody holds to it; returns the customer, whether it was created, and
    /// how many of `identities` it still does not hold: a bulk writer committed them meanwhile
    /// (the claim's `ON CONFLICT DO NOTHING` waited for that writer, then skipped them).
    private func customerResolveAndClaim(
        _ identities: [Identity], write: CustomerWrite, requestID: String?, merges: inout [CustomerMergeRecord]
    ) async throws -> (survivor: UUID, created: Bool, missing: Int) {
        let types = identities.map(\.type.description), values = identities.map(\.value)
        var owners: Set<UUID> = []
        let rows = try await query(
            """
            SELECT 'owner', i.customer_id, '' FROM customer_identities i
            JOIN unnest(\(types)::text[], \(values)::text[]) AS w(t, v) ON i.type = w.t AND i.value = w.v
            WHERE i.tenant_id = \(tenantID)
            UNION ALL
            SELECT 'erased', NULL, w.t || ':' || w.v FROM unnest(\(types)::text[], \(values)::text[]) AS w(t, v), tenants t
            WHERE t.id = \(tenantID) AND EXISTS (
                SELECT 1 FROM erased_identities e
                WHERE e.tenant_id = \(tenantID) AND e.identity_hash = sha256(t.erasure_salt || convert_to(w.t || ':' || w.v, 'UTF8')))
            """)
        for try await (kind, customerID, identityText) in rows.decode((String, UUID?, String).self) {
            if kind == "erased", let identity = identities.first(where: { $0.description == identityText }) {
                throw CustomerWriteError.erasedIdentity(identity)
            }
            if let customerID { owners.insert(customerID) }
        }
        if let explicit = write.customerID {
            guard let resolved = try await customerResolve(id: explicit) else { throw CustomerWriteError.customerNotFound(explicit) }
            owners.insert(resolved)
        }

        let created: Bool
        let survivor: UUID
        if let oldest = MergeSurvivor.choose(Array(owners)) {
            survivor = oldest
            created = false
            for other in owners.sorted(by: { $0.uuidString < $1.uuidString }) where other != survivor {
                merges.append(try await customerMerge(survivor: survivor, merged: other, requestID: requestID))
            }
        } else {
            survivor = UUID.v7()
            created = true
            try await execute("INSERT INTO customers (tenant_id, id) VALUES (\(tenantID), \(survivor))")
        }

        guard !identities.isEmpty else { return (survivor, created, 0) }
        // The statement's snapshot shows what the survivor held before it (merges included);
        // `added` what it claimed now. An identity in neither went to someone else.
        let claim = try await query(
            """
            WITH added AS (
                INSERT INTO customer_identities (tenant_id, type, value, customer_id, source)
                SELECT \(tenantID), t, v, \(survivor), \(write.source) FROM unnest(\(types)::text[], \(values)::text[]) AS w(t, v)
                ON CONFLICT (tenant_id, type, value) DO NOTHING
                RETURNING type, value
            )
            SELECT count(*)::int8 FROM unnest(\(types)::text[], \(values)::text[]) AS w(t, v)
            WHERE NOT EXISTS (SELECT 1 FROM added a WHERE a.type = w.t AND a.value = w.v)
              AND NOT EXISTS (SELECT 1 FROM customer_identities i
                              WHERE i.tenant_id = \(tenantID) AND i.type = w.t AND i.value = w.v AND i.customer_id = \(survivor))
            """)
        var missing = 0
        for try await count in claim.decode(Int.self) { missing = count }
        return (survivor, created, missing)
    }

    /// Applies an attribute write to a live customer, stamping each key with the database's
    /// time and with `source`.
    func customerApplyAttributes(id: UUID, _ write: [String: JSONValue], source: String?) async throws {
        let rows = try await query(
            """
            SELECT attributes::text, attribute_times::text, attribute_sources::text, clock_timestamp() FROM customers
            WHERE tenant_id = \(tenantID) AND id = \(id) FOR UPDATE
            """)
        for try await (values, times, sources, now) in rows.decode((String, String, String, Date).self) {
            var attributes = JSONColumns.attributes(values: values, times: times, sources: sources)
            attributes.apply(write, at: now, source: source)
            try await customerStore(id: id, attributes)
        }
    }

    func customerStore(id: UUID, _ attributes: TimedAttributes) async throws {
        try await execute(
            """
            UPDATE customers SET attributes = \(JSONColumns.text(attributes.values))::jsonb,
                attribute_times = \(JSONColumns.text(attributes.times))::jsonb,
                attribute_sources = \(JSONColumns.text(attributes.sources))::jsonb, updated_at = now()
            WHERE tenant_id = \(tenantID) AND id = \(id)
            """)
    }
}
