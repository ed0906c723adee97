import Logging
import PostgresNIO
import TuttiStore

/// What `GET /health/ready` checks: the database answers and its schema is the one this build
/// expects. A load balancer stops sending traffic to a process that is not ready.
public struct ReadinessCheck: Sendable {
    public let client: PostgresClient
    public let catalog: MigrationCatalog

    public init(client: PostgresClient, catalog: MigrationCatalog) {
        self.client = client
        self.catalog = catalog
    }

    /// Nil when ready; otherwise why not, in words an operator can act on.
    public func failure(logger: Logger) async -> String? {
        do {
            let status = try await client.withConnection { connection in
                try await SchemaStatus.read(connection: connection, catalog: catalog, logger: logger)
            }
            do {
                try status.requireCurrent()
                return nil
            } catch {
                return error.description
            }
        } catch {
            return "the database is unreachable (\(StoreError(error)))"
        }
    }
}
