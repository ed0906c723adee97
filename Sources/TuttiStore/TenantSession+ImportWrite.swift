import Foundation
import PostgresNIO
import TuttiDomain

/// What writing one chunk of import rows did.
public struct ImportChunkOutcome: Sendable, Equatable {
    /// New customers inserted in bulk.
    public var created = 0
    /// Existing customers updated in bulk.
    public var updated = 0
    /// Rows written one by one (merges, rows sharing an identity or a customer).
    public var individually = 0
    /// Rows refused while writing (an identity erased at a customer's request), one error each.
    public var errors: [ImportRowError] = []
    /// The erased identity that refused each refused row, by line.
    public var erasedIdentities: [Int: Identity] = [:]
    /// The customer each written row landed on, by line (Segment ingestion files each
    /// message's event under it).
    public var customers: [Int: UUID] = [:]
    /// The merges that rows written one by one caused.
    public var merges: [CustomerMergeRecord] = []
}

extension TenantSession {
    /// Writes a chunk of checked rows, set-based where it can (see ``ImportPlan``): one query
    /// finds who holds every identity (and which were erased), new customers and their
    /// identities are inserted with one statement each, and updates of single customers with
    /// one more. Idempotent per row identity: a row whose identities are known updates their
    /// customer, so importing the same file twice creates no one twice.
    ///
    /// Concurrency: the customers updated in bulk are locked (`FOR UPDATE`) and their
    /// identities read again before writing, so a concurrent merge or erasure moves a row to
    /// the one-by-one path instead of writing to a customer that is gone. The bulk writes run
    /// under a savepoint: if a concurrent writer committed one of the new identities meanwhile
    /// (`ON CONFLICT DO NOTHING` inserted fewer than expected), the bulk part is rolled back
    /// and the chunk looked up again, its rows now updates; after three such rounds every row
    /// goes through ``customerWrite(_:requestID:)``, which serializes on advisory locks.
    /// Rows written one by one hold those locks until commit, one per identity, which is
    /// why chunks stay around a thousand rows (see `max_locks_per_transaction`).
    public func importWrite(_ rows: [ImportRow], source: String, requestID: String?) async throws -> ImportChunkOutcome {
        var outcome = ImportChunkOutcome()
        var live = rows
        var individually: [ImportRow] = []
        for round in 1...3 {
            guard !live.isEmpty else { break }
            let (owners, erased, now) = try await importLookUp(Array(Set(live.flatMap(\.identities))))
            if !erased.isEmpty {
                for row in live {
                    if let identity = row.identities.first(where: erased.contains) {
                        outcome.errors.append(Self.erasedError(row: row, identity: identity))
                        outcome.erasedIdentities[row.line] = identity
                    }
                }
                live.removeAll { $0.identities.contains(where: erased.contains) }
            }
            var plan = ImportPlan(rows: live, owners: owners)
            if !plan.updates.isEmpty { try await importLockUpdates(&plan, owners: owners) }
            individually = plan.individually
            guard !plan.creates.isEmpty || !plan.updates.isEmpty else { break }
            try await execute("SAVEPOINT import_bulk")
            if let createdIDs = try await importBulkWrite(creates: plan.creates, updates: plan.updates, source: source, at: now) {
                try await execute("RELEASE SAVEPOINT import_bulk")
                outcome.created = plan.creates.count
                outcome.updated = plan.updates.count
                for (row, id) in zip(plan.creates, createdIDs) { outcome.customers[row.line] = id }
                for update in plan.updates { outcome.customers[update.row.line] = update.customerID }
                break
            }
            // A concurrent writer committed one of the new identities first: look again (its
            // rows are updates now), and after three rounds write everything row by row.
            try await execute("ROLLBACK TO SAVEPOINT import_bulk")
            logger.debug(
                "import chunk looked up again: a concurrent writer took a new identity", metadata: ["import.round": "\(round)"])
            individually = live.sorted { $0.line < $1.line }
        }
        for row in individually {
            do {
                let written = try await customerWrite(
                    CustomerWrite(identities: row.identities, attributes: row.attributes, source: source), requestID: requestID)
                outcome.individually += 1
                outcome.customers[row.line] = written.customerID
                outcome.merges += written.merges
            } catch let error as CustomerWriteError {
                guard case .erasedIdentity(let identity) = error else { throw error }
                outcome.errors.append(Self.erasedError(row: row, identity: identity))
                outcome.erasedIdentities[row.line] = identity
            }
        }
        outcome.errors.sort { $0.line < $1.line }
        return outcome
    }

    static func erasedError(row: ImportRow, identity: Identity) -> ImportRowError {
        ImportRowError(
            line: row.line, field: row.fields[identity] ?? "identities",
            message: "is an identity erased at the customer's request; it may not be imported again")
    }

    /// Who holds each of `identities`, which of them were erased, and the database's clock
    /// (Unix seconds) to stamp the chunk's attribute writes with; one query, three parts: the
    /// clock (from the tenant's row), the holders, the erased identities.
    ///
    /// The tenant is compared as `(SELECT $n::uuid)`, a value the planner cannot see, on
    /// purpose. Statistics gathered before a tenant's first import say it holds about one
    /// identity (it is in no most-common-values list), so with the value in sight the planner
    /// found the `(tenant_id, customer_id)` index as good as the primary key, scanned every
    /// identity of the tenant for each identity of the chunk, and a fresh tenant's first import
    /// slowed as it grew (12 s per chunk at 38,000 rows, until autovacuum analyzed the table
    /// again). Hidden, the value gets the average estimate, and the primary key wins: 8 ms.
    ///
    /// A `UNION ALL` and no outer join: the earlier `LEFT JOIN LATERAL` over `unnest` with an
    /// `EXISTS` crashed a Citus coordinator's backend (signal 11 in the planner), and a query
    /// shape that can take the database server down does not stay, on Citus or not.
    private func importLookUp(_ identities: [Identity]) async throws -> (
        owners: [Identity: UUID], erased: Set<Identity>, now: Double
    ) {
        let types = identities.map(\.type.description), values = identities.map(\.value)
        let rows = try await query(
            """
            SELECT extract(epoch FROM clock_timestamp())::float8, NULL::text, NULL::text, NULL::uuid, false
            FROM tenants WHERE id = \(tenantID)
            UNION ALL
            SELECT NULL, i.type, i.value, i.customer_id, false
            FROM customer_identities i JOIN unnest(\(types)::text[], \(values)::text[]) AS w(t, v) ON i.type = w.t AND i.value = w.v
            WHERE i.tenant_id = (SELECT \(tenantID)::uuid)
            UNION ALL
            SELECT NULL, w.t, w.v, NULL, true
            FROM unnest(\(types)::text[], \(values)::text[]) AS w(t, v), tenants s
            WHERE s.id = \(tenantID) AND EXISTS (
                SELECT 1 FROM erased_identities e
                WHERE e.tenant_id = \(tenantID)
                  AND e.identity_hash = sha256(s.erasure_salt || convert_to(w.t || ':' || w.v, 'UTF8')))
            """)
        var owners: [Identity: UUID] = [:]
        var erased: Set<Identity> = []
        var now: Double?
        for try await (clock, type, value, customerID, isErased) in rows.decode((Double?, String?, String?, UUID?, Bool).self) {
            if let clock { now = clock }
            guard let type = type.flatMap(IdentityType.init), let value else { continue }
            let identity = Identity(stored: type, value: value)
            if let customerID { owners[identity] = customerID }
            if isErased { erased.insert(identity) }
        }
        guard let now else { throw StoreError.unavailable }
        return (owners, erased, now)
    }

    /// Locks the customers the plan updates in bulk, then checks that each row's identities
    /// are still held as planned; rows for which that is no longer so are written one by one.
    /// The tenant is in sight here, unlike in ``importLookUp(_:)``: Citus routes a row lock to
    /// the tenant's shard only then, and on `customers` the primary key is the only index that
    /// fits, whatever the planner thinks of a tenant it has no statistics for.
    private func importLockUpdates(_ plan: inout ImportPlan, owners: [Identity: UUID]) async throws {
        let customerIDs = Array(Set(plan.updates.map(\.customerID)))
        let rows = try await query(
            """
            SELECT id FROM customers
            WHERE tenant_id = \(tenantID) AND id = ANY(\(customerIDs)) AND merged_into IS NULL
            ORDER BY id FOR UPDATE
            """)
        var locked: Set<UUID> = []
        for try await id in rows.decode(UUID.self) { locked.insert(id) }
        let now = try await importOwners(plan.updates.flatMap(\.row.identities))
        var kept: [ImportRowUpdate] = []
        for update in plan.updates {
            if locked.contains(update.customerID), update.row.identities.allSatisfy({ now[$0] == owners[$0] }) {
                kept.append(update)
            } else {
                plan.individually.append(update.row)
            }
        }
        plan.updates = kept
        plan.individually.sort { $0.line < $1.line }
    }

    /// Who holds each of `identities` now: ``customerIDs(for:)``, with the tenant hidden from
    /// the planner as in ``importLookUp(_:)``. That prepared statement, planned for a tenant
    /// the statistics do not know yet, scans every identity of the tenant per identity looked
    /// up (and, its estimate being one row, PostgreSQL keeps that custom plan). With the lock
    /// in ``importLockUpdates(_:owners:)`` and the bulk update, it held the second pass of a
    /// fresh tenant's import to under a third of its speed.
    private func importOwners(_ identities: [Identity]) async throws -> [Identity: UUID] {
        guard !identities.isEmpty else { return [:] }
        let rows = try await query(
            """
            SELECT i.type, i.value, i.customer_id FROM customer_identities i
            JOIN unnest(\(identities.map(\.type.description))::text[], \(identities.map(\.value))::text[]) AS w(t, v)
              ON i.type = w.t AND i.value = w.v
            WHERE i.tenant_id = (SELECT \(tenantID)::uuid)
            """)
        var owners: [Identity: UUID] = [:]
        for try await (type, value, customerID) in rows.decode((String, String, UUID).self) {
            if let type = IdentityType(type) { owners[Identity(stored: type, value: value)] = customerID }
        }
        return owners
    }
}
