import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

extension TenantSession {
    /// How many customers ``customerAttributesPresent(_:)`` looks at, at most.
    public static let attributeSampleSize = 100_000

    /// Which of `names` some live customer of the tenant has as an attribute: what a template
    /// may read without a warning. Kept cheap for a check made on every save: one statement,
    /// reading at most ``attributeSampleSize`` customers (a name found early stops at the first
    /// customer who has it; a name nobody has reads them all). In a larger tenant an attribute
    /// only customers beyond the sample have is reported missing, which costs a warning only.
    public func customerAttributesPresent(_ names: Set<String>) async throws -> Set<String> {
        guard !names.isEmpty else { return [] }
        let rows = try await query(
            """
            WITH sample AS MATERIALIZED (
                SELECT attributes FROM customers
                WHERE tenant_id = \(tenantID) AND merged_into IS NULL LIMIT \(Self.attributeSampleSize)
            )
            SELECT n.name FROM unnest(\(Array(names.sorted()))::text[]) AS n (name)
            WHERE EXISTS (SELECT FROM sample WHERE sample.attributes ? n.name)
            """)
        var present: Set<String> = []
        for try await name in rows.decode(String.self) { present.insert(name) }
        return present
    }
}
