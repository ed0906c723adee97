import Foundation
import PostgresNIO
import TuttiDomain

/// Why a merge cannot be undone.
public enum MergeUndoError: Error, Sendable, Equatable {
    case notFound
    case alreadyUndone
    /// The merged customer has since been merged elsewhere or erased; undo the later merge first.
    case superseded
}

extension TenantSession {
    /// Merges `merged` into `survivor`: identities move, attributes merge key by key (newer
    /// wins), consents merge (newer wins); events and the consent ledger stay where they were
    /// written and are read through the merge. Everything each had is kept in the merge's
    /// snapshot so that ``customerMergeUndo(customerID:mergeID:)`` can restore both. (Every
    /// sub-select names the tenant itself: Citus routes a `FOR UPDATE` to one shard only then.)
    func customerMerge(survivor: UUID, merged: UUID, requestID: String?) async throws -> CustomerMergeRecord {
        let snapshotRows = try await query(
            """
            SELECT c.id, c.attributes::text, c.attribute_times::text, c.attribute_sources::text,
                   (SELECT coalesce(json_agg(json_build_object('type', i.type, 'value', i.value)), '[]')::text
                    FROM customer_identities i WHERE i.tenant_id = \(tenantID) AND i.customer_id = c.id),
                   (SELECT coalesce(json_agg(json_build_object('channel', k.channel, 'topic', k.topic, 'status', k.status,
                                                               'source', k.source, 'updated_at', k.updated_at)), '[]')::text
                    FROM consents k WHERE k.tenant_id = \(tenantID) AND k.customer_id = c.id)
            FROM customers c WHERE c.tenant_id = \(tenantID) AND c.id IN (\(survivor), \(merged))
            ORDER BY c.id FOR UPDATE
            """)
        var sides: [UUID: (attributes: TimedAttributes, json: JSONValue)] = [:]
        for try await (id, values, times, sources, identities, consents) in snapshotRows.decode(
            (UUID, String, String, String, String, String).self)
        {
            let attributes = JSONColumns.attributes(values: values, times: times, sources: sources)
            sides[id] = (
                attributes,
                .object([
                    "attributes": JSONValue.parse(values) ?? .object([:]),
                    "attribute_times": JSONValue.parse(times) ?? .object([:]),
                    "attribute_sources": JSONValue.parse(sources) ?? .object([:]),
                    "identities": JSONValue.parse(identities) ?? .array([]),
                    "consents": JSONValue.parse(consents) ?? .array([]),
                ])
            )
        }
        guard let kept = sides[survivor], let absorbed = sides[merged] else { throw StoreError.unavailable }

        try await execute(
            "UPDATE customer_identities SET customer_id = \(survivor) WHERE tenant_id = \(tenantID) AND customer_id = \(merged)")
        try await customerStore(id: survivor, kept.attributes.merged(with: absorbed.attributes))
        try await execute(
            """
            WITH moved AS (
                DELETE FROM consents WHERE tenant_id = \(tenantID) AND customer_id = \(merged) RETURNING *
            )
            INSERT INTO consents (tenant_id, customer_id, channel, topic, status, source, updated_at)
            SELECT tenant_id, \(survivor), channel, topic, status, source, updated_at FROM moved
            ON CONFLICT (tenant_id, customer_id, channel, topic) DO UPDATE
            SET status = EXCLUDED.status, source = EXCLUDED.source, updated_at = EXCLUDED.updated_at
            WHERE consents.updated_at < EXCLUDED.updated_at
            """)
        try await execute(
            "UPDATE customers SET merged_into = \(survivor), updated_at = now() WHERE tenant_id = \(tenantID) AND id = \(merged)")
        let snapshot = JSONValue.object(["survivor": kept.json, "merged": absorbed.json]).jsonText
        let id = UUID.v7()
        let rows = try await query(
            """
            INSERT INTO customer_merges (tenant_id, id, survivor_id, merged_id, request_id, snapshot)
            VALUES (\(tenantID), \(id), \(survivor), \(merged), \(requestID), \(snapshot)::jsonb)
            RETURNING created_at
            """)
        var createdAt = Date()
        for try await value in rows.decode(Date.self) { createdAt = value }
        try await customerValueRefresh(customerIDs: [survivor, merged])
        return CustomerMergeRecord(
            id: id, survivorID: survivor, mergedID: merged, requestID: requestID, createdAt: createdAt, undoneAt: nil)
    }

    /// Undoes merge `mergeID` of customer `customerID` (the survivor, or any id resolving to
    /// it): both customers get back the attributes, identities and consents they had just
    /// before the merge; events written since stay with the customer they were written to.
    public func customerMergeUndo(customerID: UUID, mergeID: UUID) async throws -> CustomerMergeRecord {
        let rows = try await query(
            """
            SELECT m.survivor_id, m.merged_id, m.snapshot::text, m.undone_at, m.request_id, m.created_at, c.merged_into
            FROM customer_merges m JOIN customers c ON c.tenant_id = m.tenant_id AND c.id = m.merged_id
            WHERE m.tenant_id = \(tenantID) AND m.id = \(mergeID) FOR UPDATE OF m, c
            """)
        var found: (UUID, UUID, String, Date?, String?, Date, UUID?)?
        for try await row in rows.decode((UUID, UUID, String, Date?, String?, Date, UUID?).self) { found = row }
        guard let (survivor, merged, snapshotText, undoneAt, requestID, createdAt, mergedInto) = found else {
            throw MergeUndoError.notFound
        }
        guard let resolved = try await customerResolve(id: customerID),
            resolved == survivor || customerID == survivor || customerID == merged
        else { throw MergeUndoError.notFound }
        guard undoneAt == nil else { throw MergeUndoError.alreadyUndone }
        guard mergedInto == survivor else { throw MergeUndoError.superseded }

        let snapshot = JSONColumns.object(snapshotText)
        for (side, id) in [("survivor", survivor), ("merged", merged)] {
            let state = snapshot[side]?.objectValue ?? [:]
            try await execute(
                """
                UPDATE customers SET attributes = \((state["attributes"] ?? .object([:])).jsonText)::jsonb,
                    attribute_times = \((state["attribute_times"] ?? .object([:])).jsonText)::jsonb,
                    attribute_sources = \((state["attribute_sources"] ?? .object([:])).jsonText)::jsonb,
                    merged_into = NULL, updated_at = now()
                WHERE tenant_id = \(tenantID) AND id = \(id)
                """)
            try await execute("DELETE FROM consents WHERE tenant_id = \(tenantID) AND customer_id = \(id)")
            try await execute(
                """
                INSERT INTO consents (tenant_id, customer_id, channel, topic, status, source, updated_at)
                SELECT \(tenantID), \(id), k.channel, k.topic, k.status, k.source, k.updated_at
                FROM jsonb_to_recordset(\((state["consents"] ?? .array([])).jsonText)::jsonb)
                     AS k(channel text, topic text, status text, source text, updated_at timestamptz)
                """)
        }
        let mergedIdentities = snapshot["merged"]?.objectValue?["identities"] ?? .array([])
        try await execute(
            """
            UPDATE customer_identities i SET customer_id = \(merged)
            FROM jsonb_to_recordset(\(mergedIdentities.jsonText)::jsonb) AS w(type text, value text)
            WHERE i.tenant_id = \(tenantID) AND i.customer_id = \(survivor) AND i.type = w.type AND i.value = w.value
            """)
        let undone = try await query(
            "UPDATE customer_merges SET undone_at = now() WHERE tenant_id = \(tenantID) AND id = \(mergeID) RETURNING undone_at")
        var undoneTime: Date?
        for try await value in undone.decode(Date.self) { undoneTime = value }
        try await customerValueRefresh(customerIDs: [survivor, merged])
        return CustomerMergeRecord(
            id: mergeID, survivorID: survivor, mergedID: merged, requestID: requestID, createdAt: createdAt, undoneAt: undoneTime)
    }

    /// The merges a customer took part in, newest first.
    public func customerMerges(customerIDs: [UUID]) async throws -> [CustomerMergeRecord] {
        let rows = try await query(
            """
            SELECT id, survivor_id, merged_id, request_id, created_at, undone_at FROM customer_merges
            WHERE tenant_id = \(tenantID) AND (survivor_id = ANY(\(customerIDs)) OR merged_id = ANY(\(customerIDs)))
            ORDER BY created_at DESC, id DESC
            """)
        var merges: [CustomerMergeRecord] = []
        for try await (id, survivor, merged, requestID, createdAt, undoneAt) in rows.decode(
            (UUID, UUID, UUID, String?, Date, Date?).self)
        {
            merges.append(
                CustomerMergeRecord(
                    id: id, survivorID: survivor, mergedID: merged, requestID: requestID, createdAt: createdAt, undoneAt: undoneAt
                ))
        }
        return merges
    }
}
