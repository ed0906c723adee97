import Foundation
import Logging
import PostgresNIO
import _ConnectionPoolModule

/// The application's way into PostgreSQL: a connection pool used as the application role,
/// which row-level security confines to one tenant per transaction.
///
/// Every tenant-scoped query runs inside ``withTenant(_:logger:_:)``, which opens a transaction
/// and sets `tutti.tenant_id` with `SET LOCAL`. `SET LOCAL` rather than `set_config()` because
/// Citus forwards `SET LOCAL` to its worker nodes and not `set_config()`; and only for the
/// transaction, so a pooled connection never carries one tenant's setting into the next request.
public struct Database: Sendable {
    /// The pool; it is a `Service` and must run in the process's service group.
    public let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// Runs `body` in a transaction confined to `tenantID`; commits when it returns, rolls back
    /// when it throws. Database errors come out as ``StoreError``; others pass through. A COMMIT
    /// that PostgreSQL answers with ROLLBACK throws ``StoreError/rolledBackAtCommit``.
    public func withTenant<Result: Sendable>(
        _ tenantID: UUID,
        logger: Logger,
        _ body: (TenantSession) async throws -> Result
    ) async throws -> Result {
        do {
            return try await client.withConnection { connection in
                // BEGIN goes out without waiting for its answer: a connection sends its queries
                // in order, each as soon as the one before is answered, so SET LOCAL follows it
                // without a round trip through this task (which, on a busy API, kept the
                // transaction idle for as long as the task waited for a thread).
                let begun = connection.query("BEGIN", [])
                do {
                    // The id is a parsed UUID, so its text is safe to splice; SET takes no binds.
                    try await connection.execute(
                        PostgresQuery(unsafeSQL: "SET LOCAL tutti.tenant_id = '\(tenantID.uuidString.lowercased())'"),
                        logger: logger)
                    // A BEGIN that failed leaves SET LOCAL outside any transaction (a warning,
                    // not an error): its own failure is the one that counts.
                    _ = try await begun.get()
                    let result = try await body(TenantSession(connection: connection, tenantID: tenantID, logger: logger))
                    // PostgreSQL answers COMMIT of a transaction that a failed statement
                    // aborted with ROLLBACK, not an error: a failure that reached nobody must
                    // not be reported as a commit.
                    guard try await connection.query("COMMIT", []).get().metadata.command == "COMMIT" else {
                        throw StoreError.rolledBackAtCommit
                    }
                    return result
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    throw error
                }
            }
        } catch let error as PSQLError {
            throw StoreError(error)
        } catch let error as ConnectionPoolError {
            // No connection could be had (the server is unreachable, or the pool shut down).
            throw StoreError(error)
        }
    }

    /// Checks that the database answers.
    public func ping(logger: Logger) async throws(StoreError) {
        do {
            try await client.execute("SELECT 1", logger: logger)
        } catch {
            throw StoreError(error)
        }
    }
}

/// A transaction confined to one tenant; the tenant-scoped query functions are its methods.
///
/// Queries still name `tenant_id = $1` themselves: row-level security is the safety net, the
/// explicit filter is what lets the planner (and Citus's router) go straight to the tenant's rows.
public struct TenantSession: Sendable {
    public let connection: PostgresConnection
    public let tenantID: UUID
    public let logger: Logger

    /// Runs a statement whose rows the caller reads. Reading them to the end is what surfaces
    /// an error raised while the statement runs; see ``execute(_:)``.
    func query(_ query: PostgresQuery) async throws -> PostgresRowSequence {
        try await connection.query(query, logger: logger)
    }

    /// Runs a statement for its effect, reading whatever rows it returns to the end.
    ///
    /// PostgresNIO hands back a statement that returns rows as soon as PostgreSQL has described
    /// them, and reports an error raised afterwards (a deadlock detected while
    /// `pg_advisory_xact_lock` waits, a unique violation) only to whoever reads the rows. A
    /// statement run for its effect with its rows left unread therefore failed silently: the
    /// transaction was aborted, and the next statement failed instead with 25P02
    /// ("current transaction is aborted"), which the retry of deadlock victims does not recognize.
    func execute(_ query: PostgresQuery) async throws {
        try await connection.execute(query, logger: logger)
    }
}
