import Foundation
import PostgresNIO
import TuttiDomain

extension TenantSession {
    /// The current versions of the live segments with these names (compared case-insensitively,
    /// as the unique index `segments_name` does), for resolving `in segment` clauses. A version
    /// whose stored tree cannot be read (written by an older format) is given as its text, which
    /// the checker checks again.
    public func segmentDefinitions(named names: [String]) async throws -> [SegmentDefinition] {
        guard !names.isEmpty else { return [] }
        let lowered = names.map { $0.lowercased() }
        let rows = try await query(
            """
            SELECT s.name, v.version, v.rule::text, v.rule_text
            FROM segments s
            JOIN segment_versions v ON v.tenant_id = s.tenant_id AND v.segment_id = s.id AND v.version = s.current_version
            WHERE s.tenant_id = \(tenantID) AND s.deleted_at IS NULL AND lower(s.name) = ANY(\(lowered))
            """)
        var definitions: [SegmentDefinition] = []
        for try await (name, version, ruleJSON, ruleText) in rows.decode((String, Int, String, String).self) {
            let rule: SegmentDefinition.Rule
            if let expression = try? JSONDecoder().decode(RuleExpression.self, from: Data(ruleJSON.utf8)) {
                rule = .checked(expression)
            } else {
                rule = .text(ruleText)
            }
            definitions.append(SegmentDefinition(name: name, version: version, rule: rule))
        }
        return definitions
    }
}
