import Foundation
import PostgresNIO
import TuttiDomain

extension TenantSession {
    /// Gives offers to customers, a batch at once, in the caller's transaction: records a grant
    /// per request that the offer's limits allow, gives each such customer of a pooled offer
    /// the next free code, and answers one outcome per request, in order.
    ///
    /// Atomic against every other giver, with no more waiting than each offer's limits need:
    /// - an offer with a total cap or a code pool has its row locked first (in id order, so two
    ///   batches never deadlock on them), then its counters, the customers' grants so far and
    ///   the pool are read and written under that lock: two campaigns giving such an offer at
    ///   once take turns for the rest of their transactions, and a code goes to one customer
    ///   only (the pool's primary key and unique index back this up);
    /// - an offer with only a per-customer limit serializes each (offer, customer) pair with an
    ///   advisory lock, so givers wait for each other only over the same customer;
    /// - an offer without limits is not locked until its `given_count` is added to, the batch's
    ///   last statement (rows locked in id order there too), so givers hold it from then until
    ///   their commit only.
    /// At most eight statements whatever the batch's size; offers named by no request are not
    /// touched.
    ///
    /// Eligibility rules are not checked here: arbitration (``OfferArbitration``) chose the
    /// offer; this enforces what must hold even when two callers chose at the same moment.
    public func offersGive(_ requests: [OfferGrantRequest]) async throws -> [OfferGrantOutcome] {
        guard !requests.isEmpty else { return [] }
        let offerIDs = Array(Set(requests.map(\.offerID)))
        let customerIDs = Array(Set(requests.map(\.customerID)))
        let (firstRead, now) = try await offerGrantStates(offerIDs, locked: false)
        var states = firstRead
        let shared = states.filter { $0.value.limitsSpanCustomers }.map(\.key)
        if !shared.isEmpty {
            // Read again under the lock: what the first read saw may have changed since.
            let (lockedStates, _) = try await offerGrantStates(shared, locked: true)
            for id in shared { states[id] = lockedStates[id] }
        }
        try await offerLockPairs(requests.filter { states[$0.offerID]?.limitsPerCustomerOnly == true })
        let known = try await offerKnownCustomers(customerIDs)
        let counts = try await offerGrantCounts(offerIDs: Array(states.keys), customerIDs: customerIDs)
        let plan = OfferGrantPlan(requests, offers: states, knownCustomers: known, grantsSoFar: counts, now: now)
        var outcomes = plan.outcomes
        let codes = try await offerCodesAssign(requests: requests, outcomes: outcomes, states: states)
        // Text arrays with "" for none: PostgresNIO binds no arrays of optionals.
        var grants: (offers: [UUID], customers: [UUID], codes: [String], messages: [String]) = ([], [], [], [])
        for (index, request) in requests.enumerated() where outcomes[index] == .given(code: nil) {
            let code = states[request.offerID]?.codesLeft == nil ? nil : codes[index]
            outcomes[index] = .given(code: code)
            grants.offers.append(request.offerID)
            grants.customers.append(request.customerID)
            grants.codes.append(code ?? "")
            grants.messages.append(request.messageID?.uuidString ?? "")
        }
        guard !grants.offers.isEmpty else { return outcomes }
        // RETURNING, though nothing reads it: without it Citus sends the rows of an INSERT … SELECT
        // from unnest to the shards with COPY, which row-level security refuses (SQLSTATE 0A000).
        let inserted = try await query(
            """
            INSERT INTO offer_grants (tenant_id, offer_id, customer_id, code, message_id)
            SELECT \(tenantID), g.offer_id, g.customer_id, nullif(g.code, ''), nullif(g.message_id, '')::uuid
            FROM unnest(\(grants.offers)::uuid[], \(grants.customers)::uuid[], \(grants.codes)::text[], \(grants.messages)::text[])
                AS g(offer_id, customer_id, code, message_id)
            RETURNING offer_id
            """)
        for try await _ in inserted {}
        let counted = plan.givenPerOffer.keys.sorted { $0.uuidString < $1.uuidString }
        // The rows not locked above are locked here, in id order (an UPDATE … FROM locks in its
        // join's order, and two batches locking the same offers in two orders could deadlock).
        // NO KEY UPDATE, the lock the UPDATE itself takes: FOR UPDATE would also wait for the
        // KEY SHARE locks that other batches' grants (their foreign key) hold on the same rows,
        // while those batches wait for this one here: a deadlock.
        let unlocked = counted.filter { states[$0]?.limitsSpanCustomers == false }
        if !unlocked.isEmpty {
            try await execute(
                """
                SELECT count(*) FROM (
                    SELECT 1 FROM offers WHERE tenant_id = \(tenantID) AND id = ANY(\(unlocked)::uuid[]) ORDER BY id FOR NO KEY UPDATE
                ) AS locked
                """)
        }
        try await execute(
            """
            UPDATE offers AS o SET given_count = o.given_count + c.given, codes_assigned = o.codes_assigned + c.codes
            FROM unnest(\(counted)::uuid[], \(counted.map { Int64(plan.givenPerOffer[$0, default: 0]) })::int8[],
                        \(counted.map { Int64(plan.codesPerOffer[$0, default: 0]) })::int8[]) AS c(id, given, codes)
            WHERE o.tenant_id = \(tenantID) AND o.id = c.id
            """)
        return outcomes
    }

    /// How many times each of `customerIDs` was given each of `offerIDs` (pairs never given
    /// are absent): what per-customer limits and arbitration count.
    public func offerGrantCounts(offerIDs: [UUID], customerIDs: [UUID]) async throws -> [OfferCustomerKey: Int] {
        guard !offerIDs.isEmpty, !customerIDs.isEmpty else { return [:] }
        let rows = try await query(
            """
            SELECT offer_id, customer_id, count(*) FROM offer_grants
            WHERE tenant_id = \(tenantID) AND offer_id = ANY(\(offerIDs)::uuid[]) AND customer_id = ANY(\(customerIDs)::uuid[])
            GROUP BY offer_id, customer_id
            """)
        var counts: [OfferCustomerKey: Int] = [:]
        for try await (offer, customer, count) in rows.decode((UUID, UUID, Int64).self) {
            counts[OfferCustomerKey(offerID: offer, customerID: customer)] = Int(count)
        }
        return counts
    }

    /// Reads the limits and counters of the live offers among `ids` (locking their rows in id
    /// order when `locked`), with the transaction's `now()`.
    private func offerGrantStates(_ ids: [UUID], locked: Bool) async throws -> ([UUID: OfferGrantState], Date) {
        let rows = try await query(
            """
            SELECT id, starts_at, ends_at, per_customer_limit, total_cap, given_count, codes_total, codes_assigned, now()
            FROM offers WHERE tenant_id = \(tenantID) AND id = ANY(\(ids)::uuid[]) AND deleted_at IS NULL
            ORDER BY id \(unescaped: locked ? "FOR UPDATE" : "")
            """)
        var states: [UUID: OfferGrantState] = [:]
        var now = Date()
        for try await row in rows {
            let cells = row.makeRandomAccess()
            let total = try cells[6].decode(Int64.self)
            let assigned = try cells[7].decode(Int64.self)
            states[try cells[0].decode(UUID.self)] = OfferGrantState(
                startsAt: try cells[1].decode(Date?.self), endsAt: try cells[2].decode(Date?.self),
                perCustomerLimit: try cells[3].decode(Int32?.self).map { Int($0) },
                totalCap: try cells[4].decode(Int32?.self).map { Int($0) }, given: Int(try cells[5].decode(Int64.self)),
                codesLeft: total > 0 ? Int(total - assigned) : nil)
            now = try cells[8].decode(Date.self)
        }
        if states.isEmpty { now = try await databaseNow().date }
        return (states, now)
    }

    /// Serializes the givers of the same offer to the same customer (advisory locks, in key
    /// order, held to the end of the transaction), for offers limited per customer only.
    private func offerLockPairs(_ requests: [OfferGrantRequest]) async throws {
        guard !requests.isEmpty else { return }
        try await execute(
            """
            SELECT count(*) FROM (
                SELECT pg_advisory_xact_lock(k.key)::text FROM (
                    SELECT DISTINCT hashtextextended('offer-grant:' || p.offer_id::text || ':' || p.customer_id::text, 0) AS key
                    FROM unnest(\(requests.map(\.offerID))::uuid[], \(requests.map(\.customerID))::uuid[]) AS p(offer_id, customer_id)
                    ORDER BY 1) AS k) AS locked
            """)
    }

    private func offerKnownCustomers(_ ids: [UUID]) async throws -> Set<UUID> {
        let rows = try await query(
            "SELECT id FROM customers WHERE tenant_id = \(tenantID) AND id = ANY(\(ids)::uuid[]) AND merged_into IS NULL")
        var known = Set<UUID>()
        for try await id in rows.decode(UUID.self) { known.insert(id) }
        return known
    }

    /// Gives the next free codes of each pooled offer to the requests planned to get one, in
    /// request order; answers the code per request index. One statement for all offers: the
    /// requests, grouped by offer, are zipped by position with the free codes of each offer in
    /// pool order (as many as it gives), so each row finds its code by primary key. (A join on
    /// offer and row number instead was planned as a merge join on the offer alone: quadratic.)
    private func offerCodesAssign(
        requests: [OfferGrantRequest], outcomes: [OfferGrantOutcome], states: [UUID: OfferGrantState]
    ) async throws -> [Int: String] {
        var byOffer: [UUID: [Int]] = [:]
        for (index, request) in requests.enumerated()
        where outcomes[index] == .given(code: nil) && states[request.offerID]?.codesLeft != nil {
            byOffer[request.offerID, default: []].append(index)
        }
        guard !byOffer.isEmpty else { return [:] }
        let pooled = byOffer.keys.sorted { $0.uuidString < $1.uuidString }
        let indexes = pooled.flatMap { byOffer[$0]! }
        let rows = try await query(
            """
            UPDATE offer_codes AS k SET customer_id = z.customer_id, assigned_at = now()
            FROM unnest(
                \(indexes.map { requests[$0].offerID })::uuid[], \(indexes.map { requests[$0].customerID })::uuid[],
                ARRAY(
                    SELECT f.code FROM unnest(\(pooled)::uuid[], \(pooled.map { Int64(byOffer[$0]!.count) })::int8[])
                        WITH ORDINALITY AS p(offer_id, wanted, position)
                    CROSS JOIN LATERAL (
                        SELECT c.code, c.seq FROM offer_codes AS c
                        WHERE c.tenant_id = \(tenantID) AND c.offer_id = p.offer_id AND c.customer_id IS NULL
                        ORDER BY c.seq LIMIT p.wanted
                    ) AS f
                    ORDER BY p.position, f.seq
                )
            ) AS z(offer_id, customer_id, code)
            WHERE k.tenant_id = \(tenantID) AND k.offer_id = z.offer_id AND k.code = z.code
            RETURNING k.offer_id, k.customer_id, k.code
            """)
        var byPair: [OfferCustomerKey: String] = [:]
        for try await (offer, customer, code) in rows.decode((UUID, UUID, String).self) {
            byPair[OfferCustomerKey(offerID: offer, customerID: customer)] = code
        }
        var codes: [Int: String] = [:]
        for index in indexes {
            let key = OfferCustomerKey(offerID: requests[index].offerID, customerID: requests[index].customerID)
            guard let code = byPair[key] else { throw StoreError.unavailable }
            codes[index] = code
        }
        return codes
    }
}
