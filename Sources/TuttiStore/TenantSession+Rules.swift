import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

extension TenantSession {
    /// How many of the tenant's live customers satisfy `rule` at `now` (one set-based query, see
    /// ``RuleSQLCompiler``).
    public func ruleCount(_ rule: RuleExpression, now: RuleTime) async throws -> Int {
        let rows = try await query(RuleSQLCompiler(rule).countQuery(tenantID: tenantID, now: now))
        if let count = try await rows.decode(Int64.self).firstRow() { return Int(count) }
        return 0
    }

    /// A page of the ids of live customers satisfying `rule` at `now`, in id order after `after`
    /// (the previous page's last id): segment members.
    public func ruleMemberPage(_ rule: RuleExpression, now: RuleTime, after: UUID?, limit: Int) async throws -> [UUID] {
        let rows = try await query(RuleSQLCompiler(rule).pageQuery(tenantID: tenantID, now: now, after: after, limit: limit))
        var ids: [UUID] = []
        for try await id in rows.decode(UUID.self) { ids.append(id) }
        return ids
    }

    /// Which of `customerIDs` (live customers; merged-away ids never match) satisfy `rule` at `now`.
    public func ruleMembers(_ rule: RuleExpression, among customerIDs: [UUID], now: RuleTime) async throws -> Set<UUID> {
        guard !customerIDs.isEmpty else { return [] }
        let rows = try await query(RuleSQLCompiler(rule).membershipQuery(tenantID: tenantID, now: now, customerIDs: customerIDs))
        var ids: Set<UUID> = []
        for try await id in rows.decode(UUID.self) { ids.insert(id) }
        return ids
    }
}
