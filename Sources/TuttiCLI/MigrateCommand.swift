import ArgumentParser
import Foundation
import PostgresNIO
import TuttiRuntime
import TuttiStore

/// `tutti migrate`: applies pending migrations as the owner role, then grants the
/// application role (the user in `TUTTI_DATABASE_URL`) what it needs.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending migrations from sql/ (uses TUTTI_MIGRATION_DATABASE_URL).")

    @Flag(help: "Only show which migrations are applied and which are pending.")
    var status = false

    func run() async throws {
        let context = try CLIContext.make()
        let catalog = try ProcessEnvironment.loadCatalog(configuration: context.configuration)
        let url = context.configuration.database.migrationURL
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: try url.connectionConfiguration, id: 1, logger: context.logger)
        } catch {
            throw DatabaseUnreachable(url: url, underlying: StoreError(error))
        }
        do {
            if status {
                let schema = try await SchemaStatus.read(connection: connection, catalog: catalog, logger: context.logger)
                for migration in catalog.migrations {
                    let pending = schema.pending.contains(migration)
                    print("\(pending ? "pending" : "applied") \(migration.fileName)")
                }
                for error in schema.changed { print("changed \(error)") }
            } else {
                let applied = try await Migrator(catalog: catalog, logger: context.logger)
                    .migrate(connection: connection, applicationRole: context.configuration.database.url.username)
                print(applied.isEmpty
                      ? "Schema is current (\(catalog.migrations.count) migrations)."
                      : "Applied \(applied.count) migration(s): \(applied.map(\.fileName).joined(separator: ", ")).")
            }
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
