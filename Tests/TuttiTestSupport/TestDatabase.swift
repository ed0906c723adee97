import Foundation
import Logging
import PostgresNIO
import TuttiRuntime
import TuttiStore

/// The real PostgreSQL the tests run against, set up once per test process.
///
/// `ops/test` starts a throwaway cluster and exports `TUTTI_TEST_ADMIN_URL` (a superuser). From
/// it this creates an owner role and an application role (like production: the application
/// role owns nothing and has no BYPASSRLS), one database for this run, and migrates it. Each
/// test then makes its own tenants, so tests never see each other's rows.
public actor TestDatabase {
    public static let shared = TestDatabase()

    public static let ownerRole = "tutti_test_owner"
    public static let appRole = "tutti_test_app"
    static let ownerPassword = "tutti-test-owner"
    static let appPassword = "tutti-test-app"

    private var migrated: Task<(app: DatabaseURL, owner: DatabaseURL), any Error>?

    /// The folder of migrations in this checkout.
    public static let sqlDirectory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("sql")

    public static let logger: Logger = {
        var logger = Logger(label: "tutti.test")
        logger.logLevel = ProcessInfo.processInfo.environment["TUTTI_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        return logger
    }()

    /// The superuser URL from `TUTTI_TEST_ADMIN_URL`.
    public static func adminURL() throws -> DatabaseURL {
        guard let text = ProcessInfo.processInfo.environment["TUTTI_TEST_ADMIN_URL"], !text.isEmpty else {
            throw TestSetupError("TUTTI_TEST_ADMIN_URL is not set: run the tests with ops/test, which starts a private PostgreSQL for them")
        }
        return try DatabaseURL(text, variable: "TUTTI_TEST_ADMIN_URL")
    }

    /// URLs of this run's migrated database, as the application role and as the owner.
    public func migratedDatabase() async throws -> (app: DatabaseURL, owner: DatabaseURL) {
        // One task for every caller: tests start in parallel and must share one database.
        if let migrated { return try await migrated.value }
        let task = Task {
            let urls = try await Self.createEmptyDatabase()
            if Self.onCitus {
                try await Self.migrateOnCitus(owner: urls.owner, appRole: Self.appRole)
                try await Self.distributeOnCitus(owner: urls.owner)
            } else {
                try await Self.migrate(owner: urls.owner, appRole: Self.appRole)
            }
            return urls
        }
        migrated = task
        return try await task.value
    }

    /// A new database with nothing in it, for tests of migrations themselves.
    public static func createEmptyDatabase() async throws -> (app: DatabaseURL, owner: DatabaseURL) {
        let admin = try adminURL()
        let name = "tutti_test_\(UUID().uuidString.prefix(8).lowercased())"
        let roleStatements = [
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(ownerRole)') THEN CREATE ROLE \(ownerRole) LOGIN PASSWORD '\(ownerPassword)' NOSUPERUSER NOBYPASSRLS; END IF; END $$",
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(appRole)') THEN CREATE ROLE \(appRole) LOGIN PASSWORD '\(appPassword)' NOSUPERUSER NOBYPASSRLS NOINHERIT; END IF; END $$",
        ]
        try await withConnection(admin) { connection in
            // Roles are cluster-wide: creating them from parallel tests must not race.
            try await connection.query("SELECT pg_advisory_lock(74657374)", logger: logger)
            for statement in roleStatements + ["CREATE DATABASE \(name) OWNER \(ownerRole)"] {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
        }
        try await withConnection(admin.with(database: name)) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "ALTER SCHEMA public OWNER TO \(ownerRole)"), logger: logger)
        }
        if onCitus { try await enableCitus(database: name, admin: admin, roleStatements: roleStatements) }
        let owner = admin.with(database: name).with(username: ownerRole, password: ownerPassword)
        let app = admin.with(database: name).with(username: appRole, password: appPassword)
        return (app, owner)
    }

    /// Applies this checkout's migrations as `owner`.
    public static func migrate(owner: DatabaseURL, appRole: String, directory: URL = sqlDirectory) async throws {
        let catalog = try MigrationCatalog.load(directory: directory)
        try await withConnection(owner) { connection in
            try await Migrator(catalog: catalog, logger: logger).migrate(connection: connection, applicationRole: appRole)
        }
    }

    /// Runs `body` on one dedicated connection to `url`.
    @discardableResult
    public static func withConnection<T: Sendable>(
        _ url: DatabaseURL, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let connection = try await PostgresConnection.connect(configuration: try url.connectionConfiguration, id: 1, logger: logger)
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch let error as PSQLError {
            try? await connection.close()
            // PSQLError hides the server's message from its description; tests want to see it.
            throw TestSetupError("\(url): \(String(reflecting: error))")
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

/// The test environment is not set up as the tests need.
public struct TestSetupError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
