import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

/// What a decision needs to know about one customer besides their profile: how often they
/// were given each offer, and which offers they declined too often lately.
public struct DecisionHistory: Sendable, Hashable {
    public var grants: [UUID: Int]
    public var suppressed: Set<UUID>

    public init(grants: [UUID: Int] = [:], suppressed: Set<UUID> = []) {
        self.grants = grants
        self.suppressed = suppressed
    }
}

extension TenantSession {
    /// The live customer a decision names, or nil when nobody is known (a customer id
    /// followed through merges to the survivor, the holder of an identity or of an
    /// `anonymous_id` identity), with the database's time for the decision: one indexed read,
    /// and one more per merge followed (at most 64, as `customer_load` follows them).
    public func decisionCustomerResolve(_ customer: DecisionCustomer) async throws -> (customerID: UUID?, now: RuleTime) {
        let start: PostgresQuery
        let clock = "floor(extract(epoch FROM statement_timestamp()) * 1000)::bigint"
        switch customer {
        case .id(let id):
            start = """
                SELECT c.id, c.merged_into, \(unescaped: clock) FROM customers AS c WHERE c.tenant_id = \(tenantID) AND c.id = \(id)
                """
        case .identity(let identity):
            start = Self.identityOwnerQuery(tenantID, type: identity.type.description, value: identity.value, clock: clock)
        case .anonymous(let anonymousID):
            start = Self.identityOwnerQuery(
                tenantID, type: IdentityType.anonymousID.description, value: anonymousID, clock: clock)
        }
        // Nobody found: the clock alone (a second statement only for visitors nobody knows;
        // an outer join of a one-row subquery would do it in one, but Citus cannot route that).
        guard let (found, mergedInto, milliseconds) = try await query(start).decode((UUID, UUID?, Int64).self).firstRow() else {
            return (nil, try await databaseNow())
        }
        let now = RuleTime(millisecondsSinceEpoch: milliseconds)
        var next = mergedInto
        var id = found
        for _ in 0..<64 {
            guard let survivor = next else { return (id, now) }
            let rows = try await query("SELECT merged_into FROM customers WHERE tenant_id = \(tenantID) AND id = \(survivor)")
            guard let row = try await rows.decode(UUID?.self).firstRow() else { return (nil, now) }
            id = survivor
            next = row
        }
        return (nil, now)
    }

    private static func identityOwnerQuery(_ tenantID: UUID, type: String, value: String, clock: String) -> PostgresQuery {
        """
        SELECT c.id, c.merged_into, \(unescaped: clock) FROM customer_identities AS i
        JOIN customers AS c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
        WHERE i.tenant_id = \(tenantID) AND i.type = \(type) AND i.value = \(value)
        """
    }

    /// The customer's grants of `offerIDs` and the offers among them they declined at least the
    /// tenant's `decline_limit` times within its `decline_suppression_days` before `now`: one
    /// statement.
    public func decisionHistory(customerID: UUID, offerIDs: [UUID], now: Date) async throws -> DecisionHistory {
        let defaults = DeclineSuppression.defaults
        let rows = try await query(
            """
            WITH s AS (
                SELECT coalesce((SELECT decline_limit FROM decision_settings WHERE tenant_id = \(tenantID)), \(defaults.limit)) AS lim,
                       coalesce((SELECT decline_suppression_days FROM decision_settings WHERE tenant_id = \(tenantID)),
                                \(defaults.days)) AS days
            )
            SELECT g.offer_id, count(*), false FROM offer_grants AS g
            WHERE g.tenant_id = \(tenantID) AND g.customer_id = \(customerID) AND g.offer_id = ANY(\(offerIDs)::uuid[])
            GROUP BY g.offer_id
            UNION ALL
            SELECT r.offer_id, count(*), true FROM decision_responses AS r, s
            WHERE r.tenant_id = \(tenantID) AND r.customer_id = \(customerID) AND r.response = 'declined'
              AND r.responded_at > \(now) - s.days * interval '1 day'
            GROUP BY r.offer_id HAVING count(*) >= min(s.lim)
            """)
        var history = DecisionHistory()
        for try await (offer, count, declined) in rows.decode((UUID, Int64, Bool).self) {
            if declined { history.suppressed.insert(offer) } else { history.grants[offer] = Int(count) }
        }
        return history
    }

    /// The tenant's decline suppression setting (the defaults without a row).
    public func decisionSettingsGet() async throws -> DeclineSuppression {
        let rows = try await query(
            "SELECT decline_limit, decline_suppression_days FROM decision_settings WHERE tenant_id = \(tenantID)")
        guard let (limit, days) = try await rows.decode((Int32, Int32).self).firstRow() else { return .defaults }
        return DeclineSuppression(limit: Int(limit), days: Int(days))
    }

    /// Replaces the tenant's decline suppression setting.
    public func decisionSettingsPut(_ setting: DeclineSuppression) async throws {
        try await execute(
            """
            INSERT INTO decision_settings (tenant_id, decline_limit, decline_suppression_days, updated_at)
            VALUES (\(tenantID), \(Int32(setting.limit)), \(Int32(setting.days)), now())
            ON CONFLICT (tenant_id) DO UPDATE SET decline_limit = EXCLUDED.decline_limit,
                decline_suppression_days = EXCLUDED.decline_suppression_days, updated_at = EXCLUDED.updated_at
            """)
    }
}
