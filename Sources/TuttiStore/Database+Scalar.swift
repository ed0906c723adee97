import Logging
import PostgresNIO
import TuttiQueue

extension Database {
    /// The first column of the first row of `query` as an integer, or 0 when there is no row:
    /// for the maintenance functions that answer how many rows they changed.
    func scalar(_ query: PostgresQuery, logger: Logger) async throws(StoreError) -> Int {
        do {
            let rows = try await client.query(query, logger: logger)
            if let value = try await rows.decode(Int.self).firstRow() { return value }
            return 0
        } catch {
            throw StoreError(error)
        }
    }
}
