import Foundation
import PostgresNIO
import TuttiStore

/// The suites on a Citus coordinator (`ops/citus test`): with `TUTTI_TEST_CITUS=1`,
/// `TUTTI_TEST_ADMIN_URL` is the coordinator's superuser and `TUTTI_TEST_CITUS_WORKERS` the
/// workers' (comma-separated, same superuser). Every database the support creates gets the
/// citus extension on all three nodes, with the same roles, and the workers registered; the
/// migrated database is then distributed by `sql/citus/distribute.sql`, which fails when a
/// table cannot be distributed.
extension TestDatabase {
    public static var onCitus: Bool { ProcessInfo.processInfo.environment["TUTTI_TEST_CITUS"] == "1" }

    static func citusWorkerURLs() throws -> [DatabaseURL] {
        let text = ProcessInfo.processInfo.environment["TUTTI_TEST_CITUS_WORKERS"] ?? ""
        let urls = try text.split(separator: ",").map { try DatabaseURL(String($0), variable: "TUTTI_TEST_CITUS_WORKERS") }
        guard !urls.isEmpty else {
            throw TestSetupError("TUTTI_TEST_CITUS=1 needs TUTTI_TEST_CITUS_WORKERS (run ops/citus test)")
        }
        return urls
    }

    /// The roles, `name` and the citus extension on every worker, then the extension, the
    /// nodes' passwords and the workers in `name` on the coordinator.
    static func enableCitus(database name: String, admin: DatabaseURL, roleStatements: [String]) async throws {
        let workers = try citusWorkerURLs()
        for worker in workers {
            try await withConnection(worker) { connection in
                try await connection.query("SELECT pg_advisory_lock(74657374)", logger: logger)
                for statement in roleStatements + ["CREATE DATABASE \(name) OWNER \(ownerRole)"] {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
            }
            try await withConnection(worker.with(database: name)) { connection in
                for statement in ["ALTER SCHEMA public OWNER TO \(ownerRole)", "CREATE EXTENSION citus"] {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
            }
        }
        // Citus reaches the nodes as the role of the session; pg_dist_authinfo gives it each
        // role's password (nodeid 0: every node; -1: a node's connections to itself). The
        // workers connect to each other too, and Citus does not copy the table to them.
        let passwords = [(admin.username, admin.password ?? ""), (ownerRole, ownerPassword), (appRole, appPassword)]
        let authinfo = passwords.map { role, password in
            "INSERT INTO pg_dist_authinfo (nodeid, rolename, authinfo) VALUES (0, '\(role)', 'password=\(password)'), (-1, '\(role)', 'password=\(password)')"
        }
        for worker in workers {
            try await withConnection(worker.with(database: name)) { connection in
                for statement in authinfo {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
            }
        }
        try await withConnection(admin.with(database: name)) { connection in
            var statements = ["CREATE EXTENSION citus"] + authinfo
            statements.append("SELECT citus_set_coordinator_host('127.0.0.1', \(admin.port))")
            for worker in workers {
                statements.append("SELECT citus_add_node('\(worker.host)', \(worker.port))")
            }
            for statement in statements {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
        }
    }

    /// The migrations on a Citus coordinator. A CREATE FUNCTION that Citus propagates to the
    /// workers can meet the metadata sync that `citus_add_node` started in the background and
    /// fail with "tuple concurrently updated"; the migrator rolls the file back, so it is
    /// applied again, at most three times.
    static func migrateOnCitus(owner: DatabaseURL, appRole: String) async throws {
        for attempt in 1...3 {
            do {
                try await migrate(owner: owner, appRole: appRole)
                return
            } catch let error where attempt < 3 && String(describing: error).contains("tuple concurrently updated") {
                logger.warning("migration met Citus's metadata sync; applying it again", metadata: ["attempt": "\(attempt)"])
                try await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    /// `sql/citus/distribute.sql` on the migrated database, as the coordinator's superuser.
    static func distributeOnCitus(owner: DatabaseURL) async throws {
        let admin = try adminURL().with(database: owner.database)
        let script = try String(
            contentsOf: sqlDirectory.appendingPathComponent("citus").appendingPathComponent("distribute.sql"), encoding: .utf8)
        try await withConnection(admin) { connection in
            for statement in SQLScript.statements(in: script) {
                try await connection.query(PostgresQuery(unsafeSQL: statement.sql), logger: logger)
            }
        }
    }
}
