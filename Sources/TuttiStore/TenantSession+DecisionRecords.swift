import Foundation
import PostgresNIO
import TuttiDomain

/// One decision as answered, for the record: who, where, and the offers shown in rank order.
public struct DecisionRecord: Sendable, Hashable {
    /// One offer shown: its code (a pooled code given at show time, else the offer's own) and
    /// whether the decision already gave it (a pooled offer is given on the answer's path).
    public struct Shown: Sendable, Hashable {
        public var offerID: UUID
        public var code: String?
        public var score: Double
        public var given: Bool

        public init(offerID: UUID, code: String?, score: Double, given: Bool) {
            self.offerID = offerID
            self.code = code
            self.score = score
            self.given = given
        }
    }

    public var id: UUID
    public var customerID: UUID?
    public var anonymousID: String?
    public var placementID: UUID
    public var placementName: String
    public var channel: OfferChannel
    public var shown: [Shown]
    public var decidedAt: Date

    public init(
        id: UUID, customerID: UUID?, anonymousID: String?, placementID: UUID, placementName: String, channel: OfferChannel,
        shown: [Shown], decidedAt: Date
    ) {
        self.id = id
        self.customerID = customerID
        self.anonymousID = anonymousID
        self.placementID = placementID
        self.placementName = placementName
        self.channel = channel
        self.shown = shown
        self.decidedAt = decidedAt
    }
}

extension TenantSession {
    /// Records a batch of decisions set-based: the decisions themselves, an `Offer Shown`
    /// event on each known customer's timeline per offer shown, and the impressions against
    /// the offers' caps: a known customer's through ``offersGive(_:)`` (a grant each, so
    /// `per_customer_limit` and `total_cap` count impressions; pooled offers were given on the
    /// answer's path already), an anonymous visitor's as the offer's `given_count` alone
    /// (`total_cap`). A customer erased meanwhile is skipped. Eight to eleven statements
    /// whatever the batch's size.
    public func decisionsRecord(_ records: [DecisionRecord]) async throws {
        guard !records.isEmpty else { return }
        // Customers erased since their decision are left out. Looked up by primary key first:
        // a join of the unnested batch with customers was planned as a scan of all of them.
        let named = Array(Set(records.compactMap(\.customerID)))
        var live = Set<UUID>()
        if !named.isEmpty {
            let rows = try await query("SELECT id FROM customers WHERE tenant_id = \(tenantID) AND id = ANY(\(named)::uuid[])")
            for try await id in rows.decode(UUID.self) { live.insert(id) }
        }
        let records = records.filter { $0.customerID.map(live.contains) ?? true }
        var decisions:
            (
                ids: [UUID], customers: [String], anonymous: [String], placements: [UUID], channels: [String],
                shown: [String], at: [Date]
            ) = ([], [], [], [], [], [], [])
        var events: (ids: [UUID], customers: [UUID], properties: [String], channels: [String], at: [Date]) = ([], [], [], [], [])
        var grants: [OfferGrantRequest] = []
        var anonymousShows: [UUID: Int64] = [:]
        for record in records {
            decisions.ids.append(record.id)
            decisions.customers.append(record.customerID?.uuidString ?? "")
            decisions.anonymous.append(record.anonymousID ?? "")
            decisions.placements.append(record.placementID)
            decisions.channels.append(record.channel.rawValue)
            decisions.shown.append(Self.shownJSON(record.shown))
            decisions.at.append(record.decidedAt)
            for (rank, shown) in record.shown.enumerated() {
                guard let customer = record.customerID else {
                    anonymousShows[shown.offerID, default: 0] += 1
                    continue
                }
                if !shown.given { grants.append(OfferGrantRequest(offerID: shown.offerID, customerID: customer)) }
                var properties: [String: JSONValue] = [
                    "decision_id": .string(record.id.uuidString.lowercased()),
                    "offer_id": .string(shown.offerID.uuidString.lowercased()), "placement": .string(record.placementName),
                    "rank": .number(Double(rank + 1)),
                ]
                if let code = shown.code { properties["code"] = .string(code) }
                events.ids.append(UUID.v7())
                events.customers.append(customer)
                events.properties.append(JSONValue.object(properties).compactText)
                events.channels.append(record.channel.rawValue)
                events.at.append(record.decidedAt)
            }
        }
        // Both inserts return their rows, though nothing reads them: without RETURNING Citus sends
        // the rows of an INSERT … SELECT from unnest with COPY, which row-level security refuses.
        try await execute(
            """
            INSERT INTO decisions (tenant_id, id, customer_id, anonymous_id, placement_id, channel, shown, decided_at)
            SELECT \(tenantID), d.id, nullif(d.customer_id, '')::uuid, nullif(d.anonymous_id, ''), d.placement_id, d.channel,
                   d.shown::jsonb, d.decided_at
            FROM unnest(\(decisions.ids)::uuid[], \(decisions.customers)::text[], \(decisions.anonymous)::text[],
                        \(decisions.placements)::uuid[], \(decisions.channels)::text[], \(decisions.shown)::text[],
                        \(decisions.at)::timestamptz[])
                AS d(id, customer_id, anonymous_id, placement_id, channel, shown, decided_at)
            ON CONFLICT (tenant_id, id) DO NOTHING
            RETURNING id
            """)
        if !events.ids.isEmpty {
            try await execute(
                """
                INSERT INTO events (tenant_id, id, customer_id, kind, name, properties, channel, occurred_at)
                SELECT \(tenantID), e.id, e.customer_id, 'system', 'Offer Shown', e.properties::jsonb, e.channel, e.occurred_at
                FROM unnest(\(events.ids)::uuid[], \(events.customers)::uuid[], \(events.properties)::text[],
                            \(events.channels)::text[], \(events.at)::timestamptz[]) AS e(id, customer_id, properties, channel, occurred_at)
                RETURNING id
                """)
        }
        if !anonymousShows.isEmpty {
            // Every offer this batch counts, locked in id order first (as offersGive locks its
            // own): the counters' update below then waits for no lock it could deadlock on.
            let all = Array(Set(grants.map(\.offerID)).union(anonymousShows.keys))
            try await execute(
                "SELECT id FROM offers WHERE tenant_id = \(tenantID) AND id = ANY(\(all)::uuid[]) ORDER BY id FOR UPDATE")
        }
        if !grants.isEmpty { _ = try await offersGive(grants) }
        if !anonymousShows.isEmpty {
            // Sorted, so that concurrent recorders and givers lock the offers in one order.
            let ids = anonymousShows.keys.sorted { $0.uuidString < $1.uuidString }
            try await execute(
                """
                UPDATE offers AS o SET given_count = o.given_count + s.shows
                FROM unnest(\(ids)::uuid[], \(ids.map { anonymousShows[$0]! })::int8[]) AS s(id, shows)
                WHERE o.tenant_id = \(tenantID) AND o.id = s.id
                """)
        }
    }

    private static func shownJSON(_ shown: [DecisionRecord.Shown]) -> String {
        JSONValue.array(
            shown.map { entry in
                var members: [String: JSONValue] = [
                    "offer_id": .string(entry.offerID.uuidString.lowercased()), "score": .number(entry.score),
                ]
                if let code = entry.code { members["code"] = .string(code) }
                return .object(members)
            }
        ).compactText
    }
}
