import Foundation
import Logging
import TuttiDomain

/// Jobs claimed from one tenant by ``QueueDatabase/queueClaimNext(_:queue:worker:limit:lease:logger:)``.
public struct QueueClaim: Sendable {
    public var tenantID: UUID
    /// In claim order; never empty.
    public var jobs: [ClaimedQueueJob]
}

/// How far one search for a tenant with ready work may read: two pages of ready tenants at
/// most, the rest of the tenant order and then from its start, so a search ends after one
/// full round even when every tenant it was offered had nothing left.
public struct ReadyTenantSearch: Sendable {
    fileprivate var pagesRead = 0

    public init() {}
}

extension QueueDatabase {
    /// The next tenant in `rotation` that has ready work in `queue`, reading the next page of
    /// ready tenants when the round is over. Nil when `search` has read its two pages: no
    /// tenant has ready work. A tenant returned may have nothing left after all (other workers
    /// took its jobs since the page was read); ask again with the same `search`.
    public func queueNextTenant(
        _ rotation: inout TenantRotation, queue: QueueName, search: inout ReadyTenantSearch, logger: Logger
    ) async throws(Failure) -> UUID? {
        while true {
            if rotation.needsRefill {
                guard search.pagesRead < 2 else { return nil }
                search.pagesRead += 1
                let tenants = try await queueReadyTenants(
                    queue: queue, after: rotation.discoveryCursor, limit: rotation.pageSize, logger: logger)
                let wrapped = tenants.isEmpty && rotation.discoveryCursor != nil
                rotation.refill(with: tenants)
                if tenants.isEmpty && !wrapped { return nil }
                continue
            }
            if let tenant = rotation.next() { return tenant }
        }
    }
}

extension QueueDatabase where Self: QueueTransactionProvider {
    /// The fair claim: a batch from the next tenant in `rotation` that has ready work in
    /// `queue` (``queueNextTenant(_:queue:search:logger:)``). Each claim is its own short
    /// transaction confined to that tenant. Nil when no tenant has ready work: wait for a
    /// notification (``QueueNotification``) or the polling interval, then call again.
    public func queueClaimNext(
        _ rotation: inout TenantRotation, queue: QueueName, worker: QueueWorkerName, limit: Int, lease: Duration, logger: Logger
    ) async throws -> QueueClaim? {
        var search = ReadyTenantSearch()
        while let tenant = try await queueNextTenant(&rotation, queue: queue, search: &search, logger: logger) {
            let jobs = try await withQueueTransaction(tenant, logger: logger) { transaction in
                try await transaction.queueClaim(queue: queue, worker: worker, limit: limit, lease: lease)
            }
            if !jobs.isEmpty { return QueueClaim(tenantID: tenant, jobs: jobs) }
        }
        return nil
    }
}

/// A database that opens tenant transactions for the queue (the store's `Database.withTenant`).
public protocol QueueTransactionProvider: Sendable {
    associatedtype Transaction: QueueTransaction
    func withQueueTransaction<Result: Sendable>(
        _ tenantID: UUID, logger: Logger, _ body: (Transaction) async throws -> Result
    ) async throws -> Result
}
