import Foundation
import Logging
import PostgresNIO
import TuttiStore

/// What every process sets up the same way before it serves: the migrations this build
/// carries, the refusal to run on a stale schema, and the application's connection pool.
public struct ProcessEnvironment: Sendable {
    public let configuration: TuttiConfiguration
    public let catalog: MigrationCatalog
    public let client: PostgresClient
    public let logger: Logger

    /// Loads the migration catalog, checks the schema is current (throws ``MigrationError/pending(_:)``
    /// naming `tutti migrate` when it is not) and creates the pool. The pool is a `Service`: run
    /// it first in the process's service group.
    public static func prepare(configuration: TuttiConfiguration, logger: Logger) async throws -> ProcessEnvironment {
        TuttiMetrics.bootstrap()
        if configuration.channelKeys.isDevelopment {
            logger.warning(
                "TUTTI_CHANNEL_KEYS is not set: channel credentials are sealed with the built-in development key, whose bytes are public. Set TUTTI_CHANNEL_KEYS (docs/channels.md) before storing real credentials.")
        }
        let catalog = try loadCatalog(configuration: configuration)
        try await requireCurrentSchema(url: configuration.database.url, catalog: catalog, logger: logger)
        let client = PostgresClient(
            configuration: configuration.database.url.clientConfiguration(
                maximumConnections: configuration.database.poolSize, minimumConnections: configuration.database.poolMinimum),
            backgroundLogger: logger)
        return ProcessEnvironment(configuration: configuration, catalog: catalog, client: client, logger: logger)
    }

    /// The migrations in the configured (or discovered) `sql/` folder.
    public static func loadCatalog(configuration: TuttiConfiguration) throws -> MigrationCatalog {
        guard let directory = MigrationCatalog.locateDirectory(
            configured: configuration.database.sqlDirectory, executablePath: CommandLine.arguments[0])
        else {
            throw MigrationError.unreadableDirectory("./sql")
        }
        return try MigrationCatalog.load(directory: directory)
    }

    /// Connects once with `url` and throws unless the schema is current.
    public static func requireCurrentSchema(url: DatabaseURL, catalog: MigrationCatalog, logger: Logger) async throws {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: try url.connectionConfiguration, id: 0, logger: logger)
        } catch {
            throw DatabaseUnreachable(url: url, underlying: StoreError(error))
        }
        defer { Task { try? await connection.close() } }
        let status = try await SchemaStatus.read(connection: connection, catalog: catalog, logger: logger)
        try status.requireCurrent()
    }
}

/// The database could not be reached at start-up.
public struct DatabaseUnreachable: Error, CustomStringConvertible {
    public var url: DatabaseURL
    public var underlying: StoreError

    public init(url: DatabaseURL, underlying: StoreError) {
        self.url = url
        self.underlying = underlying
    }

    public var description: String {
        "cannot connect to \(url) (\(underlying.underlying)); is PostgreSQL running and the URL right?"
    }
}
