import Foundation
import Logging
import TuttiRuntime
import TuttiStore

extension TuttiConfiguration {
    /// A configuration for tests: this run's migrated database, ephemeral ports, quiet logs.
    ///
    /// The API key cache is off unless asked for: every cache holds a LISTEN connection for its
    /// application's life, and hundreds of test applications run at once against one cluster.
    public static func forTesting(
        operatorToken: String = "test-operator-token", maxBodyBytes: Int = 64 * 1024, apiKeyCacheTTL: Duration = .zero
    ) async throws -> TuttiConfiguration {
        let urls = try await TestDatabase.shared.migratedDatabase()
        var configuration = TuttiConfiguration(
            database: .init(url: urls.app, migrationURL: urls.owner, poolSize: 8, sqlDirectory: TestDatabase.sqlDirectory.path),
            http: .init(host: "127.0.0.1", apiPort: 0, schedulerPort: 0, workerPort: 0, maxBodyBytes: maxBodyBytes),
            log: .init(level: TestDatabase.logger.logLevel, format: .text),
            operatorToken: operatorToken,
            shutdownGracePeriod: .seconds(5))
        configuration.apiKeyCacheTTL = apiKeyCacheTTL
        return configuration
    }

    /// Environment variables that make a spawned process use this configuration.
    public func environmentVariables() -> [String: String] {
        [
            "TUTTI_DATABASE_URL": database.url.connectionString,
            "TUTTI_MIGRATION_DATABASE_URL": database.migrationURL.connectionString,
            "TUTTI_SQL_DIR": database.sqlDirectory ?? "",
            "TUTTI_HOST": http.host,
            "TUTTI_API_PORT": "\(http.apiPort)",
            "TUTTI_SCHEDULER_PORT": "\(http.schedulerPort)",
            "TUTTI_WORKER_PORT": "\(http.workerPort)",
            "TUTTI_OPERATOR_TOKEN": operatorToken,
            "TUTTI_SHUTDOWN_GRACE_SECONDS": "\(shutdownGracePeriod.components.seconds)",
            "TUTTI_API_KEY_CACHE_SECONDS": "\(apiKeyCacheTTL.components.seconds)",
            "TUTTI_LOG_LEVEL": "info",
        ]
    }
}
