import Foundation
import Logging
import PostgresNIO
import TuttiRuntime
import TuttiStore

/// Configuration, a quiet logger and a short-lived database pool for one CLI command.
struct CLIContext {
    let configuration: TuttiConfiguration
    let logger: Logger

    static func make() throws -> CLIContext {
        let configuration = try TuttiConfiguration.fromEnvironment()
        var logger = Logger(label: "tutti")
        logger.logLevel = .warning
        return CLIContext(configuration: configuration, logger: logger)
    }

    /// Runs `body` with the application's database (row-level security applies to the CLI too),
    /// after checking that the schema is current.
    func withDatabase<Result: Sendable>(
        connections: Int = 2, _ body: @Sendable @escaping (Database) async throws -> Result
    ) async throws -> Result {
        let catalog = try ProcessEnvironment.loadCatalog(configuration: configuration)
        try await ProcessEnvironment.requireCurrentSchema(url: configuration.database.url, catalog: catalog, logger: logger)
        return try await Database.withShortLivedPool(configuration.database.url, maximumConnections: connections, logger: logger, body)
    }
}

/// Prints `value` as sorted, pretty JSON on standard output.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
