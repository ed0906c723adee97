import Foundation
import Logging
import TuttiRuntime
import TuttiStore

extension TuttiConfiguration {
    /// A configuration for tests: this run's migrated database, ephemeral ports, quiet logs.
    public static func forTesting(
        operatorToken: String = "test-operator-token", maxBodyBytes: Int = 64 * 1024
    ) async throws -> TuttiConfiguration {
        let urls = try await TestDatabase.shared.migratedDatabase()
        return TuttiConfiguration(
            database: .init(url: urls.app, migrationURL: urls.owner, poolSize: 8, sqlDirectory: TestDatabase.sqlDirectory.path),
            http: .init(host: "127.0.0.1", apiPort: 0, schedulerPort: 0, workerPort: 0, maxBodyBytes: maxBodyBytes),
            log: .init(level: TestDatabase.logger.logLevel, format: .text),
            operatorToken: operatorToken,
            shutdownGracePeriod: .seconds(5))
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
            "TUTTI_LOG_LEVEL": "info",
        ]
    }
}
