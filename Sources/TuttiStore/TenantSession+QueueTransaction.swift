import Foundation
import Logging
import TuttiQueue

/// The queue's statements run in the tenant's transaction: a job is enqueued with the work
/// that made it, and claimed, completed or failed with the records of its outcome.
extension TenantSession: QueueTransaction {}

/// The queue's cross-tenant work reports its database errors as ``StoreError``.
extension Database: QueueDatabase {
    public static func failure(_ error: any Error) -> StoreError { StoreError(error) }
}

/// The queue's own claims run in the store's tenant transactions.
extension Database: QueueTransactionProvider {
    public func withQueueTransaction<Result: Sendable>(
        _ tenantID: UUID, logger: Logger, _ body: (TenantSession) async throws -> Result
    ) async throws -> Result {
        try await withTenant(tenantID, logger: logger, body)
    }
}
