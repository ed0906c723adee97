import Logging
import PostgresNIO

/// How the database's applied migrations compare with the migrations this build carries.
public struct SchemaStatus: Sendable {
    /// In the build, not yet in the database, in order.
    public var pending: [Migration]
    /// Applied, but the file's checksum differs from the one recorded.
    public var changed: [MigrationError]
    /// Applied by a newer build that this build does not know.
    public var unknownVersions: [Int]

    /// True when the schema is exactly what this build expects (unknown newer migrations are
    /// tolerated: during a rolling upgrade old processes keep running on an extended schema).
    public var isCurrent: Bool { pending.isEmpty && changed.isEmpty }

    /// Throws the first checksum mismatch, if any.
    public func requireUnchanged() throws(MigrationError) {
        if let first = changed.first { throw first }
    }

    /// Throws unless the schema is current; the error names the command to run.
    public func requireCurrent() throws(MigrationError) {
        try requireUnchanged()
        if !pending.isEmpty { throw .pending(pending.map(\.fileName)) }
    }

    /// Reads the applied migrations; a database never migrated has them all pending.
    public static func read(connection: PostgresConnection, catalog: MigrationCatalog, logger: Logger) async throws -> SchemaStatus {
        let tableRows = try await connection.query("SELECT to_regclass('public.schema_migrations') IS NOT NULL", logger: logger)
        var hasTable = false
        for try await exists in tableRows.decode(Bool.self) { hasTable = exists }

        var applied: [Int: String] = [:]
        if hasTable {
            let rows = try await connection.query("SELECT version, checksum FROM schema_migrations", logger: logger)
            for try await (version, checksum) in rows.decode((Int, String).self) {
                applied[version] = checksum
            }
        }
        var status = SchemaStatus(pending: [], changed: [], unknownVersions: [])
        for migration in catalog.migrations {
            if let recorded = applied[migration.version] {
                if recorded != migration.checksum {
                    status.changed.append(.changedAfterApplied(
                        version: migration.version, fileName: migration.fileName, recorded: recorded, current: migration.checksum))
                }
            } else {
                status.pending.append(migration)
            }
        }
        let known = Set(catalog.migrations.map(\.version))
        status.unknownVersions = applied.keys.filter { !known.contains($0) }.sorted()
        return status
    }
}
