import Logging
import PostgresNIO

extension Database {
    /// Runs `body` with a pool that lives only as long as the call: for command-line tools and
    /// tests, which have no service group to run a long-lived pool in.
    public static func withShortLivedPool<Result: Sendable>(
        _ url: DatabaseURL, maximumConnections: Int, logger: Logger,
        _ body: @Sendable @escaping (Database) async throws -> Result
    ) async throws -> Result {
        let client = PostgresClient(configuration: url.clientConfiguration(maximumConnections: maximumConnections), backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask {
                await client.run()
                return nil
            }
            group.addTask { try await body(Database(client: client)) }
            defer { group.cancelAll() }
            // The pool's task only ends when cancelled, so the first value is the body's.
            while let result = try await group.next() {
                if let result { return result }
            }
            throw CancellationError()
        }
    }
}
