import Foundation
import PostgresNIO
import TuttiDomain

extension TenantSession {
    /// Inserts new customers and their identities, adds new identities to updated customers
    /// and applies the updates' attribute writes: three statements whatever the number of rows.
    /// Every key written is stamped with `at`, the database's clock read at the chunk's lookup
    /// (`attribute_times`, as ``customerWrite(_:requestID:)`` stamps), so that later merges
    /// keep the newer value, and with `source` (`attribute_sources`), in the same statements.
    /// The JSON is built here rather than with `jsonb` functions in SQL, which cost more than
    /// the inserts themselves.
    ///
    /// Returns the ids of the new customers, in the order of `creates`; nil, having written part
    /// of it, when a concurrent writer committed one of the new identities first (a unique
    /// violation): the caller rolls back to its savepoint.
    ///
    /// Identities are inserted in the order ``customerWrite(_:requestID:)`` inserts its own
    /// (by `type:value`): two writers that wait for each other's uncommitted identities then
    /// always wait in the same direction, never in a circle (a deadlock, which PostgreSQL
    /// would end by failing one of them).
    ///
    /// The update names its tenant as `(SELECT $n::uuid)`, hidden from the planner, for the
    /// reason given at ``importLookUp(_:)``: with a fresh tenant's estimate of one row it
    /// joined every customer of the tenant with every row of the chunk.
    func importBulkWrite(creates: [ImportRow], updates: [ImportRowUpdate], source: String, at now: Double) async throws -> [UUID]? {
        var ids = SplitMix64.systemSeeded()
        let created = Date()
        let createdIDs = creates.map { _ in UUID.v7(at: created, using: &ids) }
        if !creates.isEmpty {
            // `RETURNING` here and below, read and dropped by `execute`: without it Citus sends the
            // rows of an INSERT … SELECT from `unnest` to the shards with COPY, which row-level
            // security refuses.
            let writes = creates.map { ImportAttributeWrite($0.attributes, at: now, source: source) }
            try await execute(
                """
                INSERT INTO customers (tenant_id, id, attributes, attribute_times, attribute_sources)
                SELECT \(tenantID), w.id, w.a::jsonb, w.t::jsonb, w.s::jsonb
                FROM unnest(\(createdIDs)::uuid[], \(writes.map(\.values))::text[], \(writes.map(\.times))::text[],
                            \(writes.map(\.sources))::text[]) AS w(id, a, t, s)
                RETURNING 1
                """)
        }

        // Each claim's `type:value` text is made once: sorting by `description` built two
        // strings per comparison, some 20,000 per chunk of a thousand rows.
        var claims: [(order: String, identity: Identity, owner: UUID)] = []
        for (row, id) in zip(creates, createdIDs) { claims += row.identities.map { ($0.description, $0, id) } }
        for update in updates { claims += update.newIdentities.map { ($0.description, $0, update.customerID) } }
        claims.sort { $0.order < $1.order }
        let types = claims.map(\.identity.type.description), values = claims.map(\.identity.value), owners = claims.map(\.owner)
        if !types.isEmpty {
            do {
                try await execute(
                    """
                    INSERT INTO customer_identities (tenant_id, type, value, customer_id, source)
                    SELECT \(tenantID), w.t, w.v, w.c, \(source)
                    FROM unnest(\(types)::text[], \(values)::text[], \(owners)::uuid[]) AS w(t, v, c)
                    RETURNING 1
                    """)
            } catch let error as PSQLError where StoreError(error).isConflict {
                return nil
            }
        }

        let changed = updates.filter { !$0.row.attributes.isEmpty || !$0.newIdentities.isEmpty }
        if !changed.isEmpty {
            let writes = changed.map { ImportAttributeWrite($0.row.attributes, at: now, source: source) }
            try await execute(
                """
                UPDATE customers AS c SET
                    attributes = CASE WHEN w.r = '' THEN c.attributes || w.a::jsonb
                                      ELSE (c.attributes || w.a::jsonb) - ARRAY(SELECT jsonb_array_elements_text(w.r::jsonb)) END,
                    attribute_times = c.attribute_times || w.t::jsonb,
                    attribute_sources = c.attribute_sources || w.s::jsonb,
                    updated_at = now()
                FROM unnest(\(changed.map(\.customerID))::uuid[], \(writes.map(\.values))::text[], \(writes.map(\.times))::text[],
                            \(writes.map(\.sources))::text[], \(writes.map(\.removals))::text[]) AS w(id, a, t, s, r)
                WHERE c.tenant_id = (SELECT \(tenantID)::uuid) AND c.id = w.id
                """)
        }
        return createdIDs
    }
}

/// An attribute write as `jsonb` text: the values set, the keys removed (`null` in the write)
/// as a JSON array or '' when none, and every key written stamped with the time and the source.
struct ImportAttributeWrite {
    var values: String
    var times: String
    var sources: String
    var removals: String

    init(_ write: [String: JSONValue], at time: Double, source: String) {
        var set: [String: JSONValue] = [:], removed: [JSONValue] = [], times: [String: JSONValue] = [:]
        var sources: [String: JSONValue] = [:]
        let stamp = JSONValue.number(time), from = JSONValue.string(source)
        for (key, value) in write {
            if value == .null { removed.append(.string(key)) } else { set[key] = value }
            times[key] = stamp
            sources[key] = from
        }
        values = JSONValue.object(set).compactText
        self.times = JSONValue.object(times).compactText
        self.sources = JSONValue.object(sources).compactText
        removals = removed.isEmpty ? "" : JSONValue.array(removed).compactText
    }
}
