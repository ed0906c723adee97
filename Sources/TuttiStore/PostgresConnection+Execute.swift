import Logging
import PostgresNIO

extension PostgresConnection {
    /// Runs a statement for its effect, reading whatever rows it returns to the end, so that an
    /// error PostgreSQL raises while the statement runs is thrown here rather than lost with the
    /// unread rows (see ``TenantSession/execute(_:)``).
    func execute(_ query: PostgresQuery, logger: Logger) async throws {
        for try await _ in try await self.query(query, logger: logger) {}
    }
}

extension PostgresClient {
    /// Runs a statement for its effect, reading whatever rows it returns to the end (see
    /// ``PostgresConnection/execute(_:logger:)``).
    func execute(_ query: PostgresQuery, logger: Logger) async throws {
        for try await _ in try await self.query(query, logger: logger) {}
    }
}
