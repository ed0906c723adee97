import Logging
import PostgresNIO

/// Applies pending migrations, each in its own transaction, under an advisory lock so that two
/// `tutti migrate` runs (or several containers starting at once) never interleave.
public struct Migrator: Sendable {
    /// Arbitrary but fixed: the advisory lock every migrator of every Tutti version takes.
    static let advisoryLockKey: Int64 = 0x7475_7474_695F_6D67

    public let catalog: MigrationCatalog
    public let logger: Logger

    public init(catalog: MigrationCatalog, logger: Logger) {
        self.catalog = catalog
        self.logger = logger
    }

    /// Applies what is pending and grants `applicationRole` what the application needs.
    /// Returns the migrations applied by this call (empty when the schema was current).
    @discardableResult
    public func migrate(connection: PostgresConnection, applicationRole: String) async throws -> [Migration] {
        guard applicationRole.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }),
            !applicationRole.isEmpty
        else { throw MigrationError.invalidRoleName(applicationRole) }

        try await connection.execute("SELECT pg_advisory_lock(\(Self.advisoryLockKey))", logger: logger)
        do {
            let applied = try await apply(connection: connection)
            try await grant(connection: connection, role: applicationRole)
            try await connection.execute("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))", logger: logger)
            return applied
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))", logger: logger)
            throw error
        }
    }

    private func apply(connection: PostgresConnection) async throws -> [Migration] {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer     PRIMARY KEY,
                name       text        NOT NULL,
                checksum   text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, logger: logger)
        let status = try await SchemaStatus.read(connection: connection, catalog: catalog, logger: logger)
        try status.requireUnchanged()

        for migration in status.pending {
            try await connection.query("BEGIN", logger: logger)
            for statement in SQLScript.statements(in: migration.sql) {
                do {
                    try await connection.execute(PostgresQuery(unsafeSQL: statement.sql), logger: logger)
                } catch {
                    let message = (error as? PSQLError)?.serverInfo?[.message] ?? String(describing: error)
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    throw MigrationError.statementFailed(fileName: migration.fileName, line: statement.line, message: message)
                }
            }
            try await connection.query(
                "INSERT INTO schema_migrations (version, name, checksum) VALUES (\(migration.version), \(migration.name), \(migration.checksum))",
                logger: logger)
            try await connection.query("COMMIT", logger: logger)
            logger.info("applied migration", metadata: ["migration.file": "\(migration.fileName)"])
        }
        return status.pending
    }

    /// The application role may read and write rows (row-level security decides which) and run
    /// the owner's narrow functions, but owns nothing and cannot change the schema.
    private func grant(connection: PostgresConnection, role: String) async throws {
        let exists = try await connection.query("SELECT 1 FROM pg_roles WHERE rolname = \(role)", logger: logger)
        var found = false
        for try await _ in exists { found = true }
        guard found else { throw MigrationError.missingApplicationRole(role) }

        let quoted = "\"\(role)\""
        for statement in [
            "GRANT USAGE ON SCHEMA public TO \(quoted)",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \(quoted)",
            "REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM \(quoted)",
            "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO \(quoted)",
            "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO \(quoted)",
        ] {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
    }
}
