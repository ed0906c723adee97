import Foundation
import PostgresNIO
import Testing
import TuttiRuntime
import TuttiStore
import TuttiTestSupport

@Suite("Migrations against real PostgreSQL")
struct MigrationTests {
    let logger = TestDatabase.logger

    @Test func migrationsApplyOnAnEmptyDatabaseAndAreANoOpTheSecondTime() async throws {
        let urls = try await TestDatabase.createEmptyDatabase()
        let catalog = try MigrationCatalog.load(directory: TestDatabase.sqlDirectory)
        let migrator = Migrator(catalog: catalog, logger: logger)
        let (first, second, recorded) = try await TestDatabase.withConnection(urls.owner) { connection in
            let first = try await migrator.migrate(connection: connection, applicationRole: TestDatabase.appRole)
            let second = try await migrator.migrate(connection: connection, applicationRole: TestDatabase.appRole)
            var recorded: [Int] = []
            for try await version in try await connection.query("SELECT version FROM schema_migrations ORDER BY version", logger: logger).decode(Int.self) {
                recorded.append(version)
            }
            return (first, second, recorded)
        }
        #expect(first.map(\.version) == catalog.migrations.map(\.version))
        #expect(second.isEmpty)
        #expect(recorded == catalog.migrations.map(\.version))
    }

    @Test func migrationChangedAfterItWasAppliedIsRefused() async throws {
        let urls = try await TestDatabase.createEmptyDatabase()
        try await TestDatabase.migrate(owner: urls.owner, appRole: TestDatabase.appRole)

        let changed = try copyOfSQLDirectory()
        defer { try? FileManager.default.removeItem(at: changed) }
        let first = try #require(try MigrationCatalog.load(directory: changed).migrations.first)
        let file = changed.appendingPathComponent(first.fileName)
        try (first.sql + "\n-- an edit after the fact\n").write(to: file, atomically: true, encoding: .utf8)

        await #expect {
            try await TestDatabase.migrate(owner: urls.owner, appRole: TestDatabase.appRole, directory: changed)
        } throws: { error in
            guard case .changedAfterApplied(let version, _, _, _) = error as? MigrationError else { return false }
            return version == first.version && "\(error)".contains("changed after it was applied")
        }
    }

    @Test func failingMigrationLeavesNothingBehindAndSaysWhere() async throws {
        let urls = try await TestDatabase.createEmptyDatabase()
        let directory = try copyOfSQLDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "CREATE TABLE half_done (id int);\nSELECT no_such_function();\n"
            .write(to: directory.appendingPathComponent("9999_broken.sql"), atomically: true, encoding: .utf8)

        await #expect {
            try await TestDatabase.migrate(owner: urls.owner, appRole: TestDatabase.appRole, directory: directory)
        } throws: { error in
            guard case .statementFailed(let fileName, let line, _) = error as? MigrationError else { return false }
            return fileName == "9999_broken.sql" && line == 2
        }
        let leftovers = try await TestDatabase.withConnection(urls.owner) { connection in
            var exists = true
            for try await value in try await connection.query("SELECT to_regclass('half_done') IS NOT NULL", logger: logger).decode(Bool.self) {
                exists = value
            }
            return exists
        }
        #expect(!leftovers)
    }

    @Test func processesRefuseToStartWhileMigrationsArePending() async throws {
        let urls = try await TestDatabase.createEmptyDatabase()
        let catalog = try MigrationCatalog.load(directory: TestDatabase.sqlDirectory)
        await #expect {
            try await ProcessEnvironment.requireCurrentSchema(url: urls.owner, catalog: catalog, logger: logger)
        } throws: { error in
            "\(error)".contains("run `tutti migrate`")
        }
    }

    private func copyOfSQLDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tutti-sql-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: TestDatabase.sqlDirectory, to: directory)
        return directory
    }
}
