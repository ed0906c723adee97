import Foundation
import Logging
import PostgresNIO

/// A transaction confined to one tenant, in which the queue's statements run: jobs are
/// enqueued in the caller's transaction, so a job exists exactly when the work that made it
/// committed (the store's `TenantSession` is one).
///
/// The queue's SQL lives in this module; errors come out as PostgresNIO raised them, for the
/// transaction's owner to map.
public protocol QueueTransaction: Sendable {
    var connection: PostgresConnection { get }
    var tenantID: UUID { get }
    var logger: Logger { get }
}

extension QueueTransaction {
    /// Runs a statement whose rows the caller reads to the end (which surfaces errors raised
    /// while it runs).
    func query(_ query: PostgresQuery) async throws -> PostgresRowSequence {
        try await connection.query(query, logger: logger)
    }
}

/// The database as the queue's cross-tenant work sees it: a pool, and how its errors are
/// reported (the store's `Database` maps them to `StoreError`).
public protocol QueueDatabase: Sendable {
    associatedtype Failure: Error
    var client: PostgresClient { get }
    /// The error to throw for `error`, raised by PostgresNIO or the pool.
    static func failure(_ error: any Error) -> Failure
}
