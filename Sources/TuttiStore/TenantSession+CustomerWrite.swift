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
    /// identity never belongs to two customers whatever happens.
    public func customerWrite(_ write: CustomerWrite, requestID: String?) async throws -> CustomerWriteResult {
        let identities = Array(Set(write.identities)).sorted { $0.description < $1.description }
        let types = identities.map(\.type.description), values = identities.map(\.value)

        if !identities.isEmpty {
            try await query(
                """
                SELECT pg_advisory_xact_lock(hashtextextended(\(tenantID)::text || ':' || k, 0))
                FROM (SELECT t || ':' || v AS k FROM unnest(\(types)::text[], \(values)::text[]) AS w(t, v) ORDER BY 1) AS keys
                """)
        }
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
        var merges: [CustomerMergeRecord] = []
        if let oldest = MergeSurvivor.choose(Array(owners)) {
            survivor = oldest
            created = false
            for other in owners.sorted(by: { $0.uuidString < $1.uuidString }) where other != survivor {
                merges.append(try await customerMerge(survivor: survivor, merged: other, requestID: requestID))
            }
        } else {
            survivor = UUID.v7()
            created = true
            try await query("INSERT INTO customers (tenant_id, id) VALUES (\(tenantID), \(survivor))")
        }

        if !identities.isEmpty {
            try await query(
                """
                INSERT INTO customer_identities (tenant_id, type, value, customer_id, source)
                SELECT \(tenantID), t, v, \(survivor), \(write.source) FROM unnest(\(types)::text[], \(values)::text[]) AS w(t, v)
                ON CONFLICT (tenant_id, type, value) DO NOTHING
                """)
        }
        if !write.attributes.isEmpty {
            try await customerApplyAttributes(id: survivor, write.attributes, source: write.source)
        } else if !created {
            try await query("UPDATE customers SET updated_at = now() WHERE tenant_id = \(tenantID) AND id = \(survivor)")
        }
        return CustomerWriteResult(customerID: survivor, created: created, merges: merges)
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
        try await query(
            """
            UPDATE customers SET attributes = \(JSONColumns.text(attributes.values))::jsonb,
                attribute_times = \(JSONColumns.text(attributes.times))::jsonb,
                attribute_sources = \(JSONColumns.text(attributes.sources))::jsonb, updated_at = now()
            WHERE tenant_id = \(tenantID) AND id = \(id)
            """)
    }
}
