import Foundation
import PostgresNIO
import Testing
import TuttiStore
import TuttiTestSupport

@Suite("Event partitions")
struct EventPartitionTests {
    @Test func maintenanceCreatesMonthlyPartitionsAheadAndIsIdempotent() async throws {
        try await withTestDatabase { database in
            _ = try await database.eventPartitionsEnsure(months: 6, logger: TestDatabase.logger)
            let again = try await database.eventPartitionsEnsure(months: 6, logger: TestDatabase.logger)
            #expect(again == 0)
            let expected = try await database.client.withConnection { connection in
                var names: [String] = []
                let rows = try await connection.query(
                    """
                    SELECT format('events_%s', to_char(date_trunc('month', current_date) + make_interval(months => m), 'YYYY_MM'))
                    FROM generate_series(0, 5) AS m
                    """, logger: TestDatabase.logger)
                for try await name in rows.decode(String.self) { names.append(name) }
                var missing: [String] = []
                for name in names {
                    let exists = try await connection.query("SELECT to_regclass(\(name)) IS NOT NULL", logger: TestDatabase.logger)
                    for try await present in exists.decode(Bool.self) where !present { missing.append(name) }
                }
                return missing
            }
            #expect(expected.isEmpty, "missing partitions: \(expected)")
        }
    }
}
