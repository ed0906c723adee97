import Foundation
import PostgresNIO
import Testing
import TuttiDomain
import TuttiStore
import TuttiTestSupport

/// The holdout that the scheduler computes in SQL over a tenant's customers is the one the
/// domain computes in Swift, customer for customer.
@Suite("Holdout in SQL")
struct HoldoutSQLTests {
    @Test func sqlAndSwiftHoldOutTheSameOf10000CustomersAndThePercentOfThem() async throws {
        var random = SplitMix64(seed: 20_261_207)
        let ids = (0..<10_000).map { _ in UUID.v7(at: Date(timeIntervalSince1970: 1_800_000_000), using: &random) }
        let campaign = UUID.v7(at: Date(timeIntervalSince1970: 1_800_000_000), using: &random)
        let percents = [0.0, 0.5, 10, 33.33, 100]
        let held = try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Holdout", in: database)
            return try await database.withTenant(tenant.tenant.id, logger: TestDatabase.logger) { session in
                // RETURNING keeps Citus from copying the rows in, which row-level security refuses.
                let inserted = try await session.connection.query(
                    "INSERT INTO customers (tenant_id, id) SELECT \(tenant.tenant.id), unnest(\(ids)::uuid[]) RETURNING id",
                    logger: TestDatabase.logger)
                for try await _ in inserted {}
                var held: [Double: Set<UUID>] = [:]
                for percent in percents {
                    let basisPoints = Holdout.basisPoints(percent: percent)
                    let expression = HoldoutSQL.isHeldOut(
                        customerColumn: "c.id", campaignParameter: "$2", basisPointsParameter: "$3")
                    var query = PostgresQuery(unsafeSQL: "SELECT c.id FROM customers c WHERE c.tenant_id = $1 AND \(expression)")
                    try query.binds.append(tenant.tenant.id, context: .default)
                    try query.binds.append(campaign, context: .default)
                    try query.binds.append(basisPoints, context: .default)
                    var found: Set<UUID> = []
                    for try await id in try await session.connection.query(query, logger: TestDatabase.logger).decode(UUID.self) {
                        found.insert(id)
                    }
                    held[percent] = found
                }
                return held
            }
        }
        for percent in percents {
            let expected = Set(ids.filter { Holdout.isHeldOut(customerID: $0, campaignID: campaign, percent: percent) })
            let sql = held[percent] ?? []
            #expect(
                sql == expected,
                "\(percent) %: SQL held out \(sql.count), Swift \(expected.count); \(sql.symmetricDifference(expected).count) differ"
            )
            let share = Double(sql.count) / Double(ids.count) * 100
            #expect(abs(share - percent) <= 1.5, "\(percent) %: \(share) % held out")
        }
    }
}
