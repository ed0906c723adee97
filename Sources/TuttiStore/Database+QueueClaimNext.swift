import Foundation
import Logging
import TuttiDomain

/// Jobs claimed from one tenant by ``Database/queueClaimNext(_:queue:worker:limit:lease:logger:)``.
public struct QueueClaim: Sendable {
    public var tenantID: UUID
    /// In claim order; never empty.
    public var jobs: [ClaimedQueueJob]
}

extension Database {
    /// The fair claim: a batch from the next tenant in `rotation` that has ready work in
    /// `queue`, reading the next page of ready tenants when the round is over. Each claim is
    /// its own short transaction confined to that tenant. Nil when no tenant has ready work:
    /// wait for a notification (``QueueNotification``) or the polling interval, then call again.
    public func queueClaimNext(
        _ rotation: inout TenantRotation, queue: QueueName, worker: QueueWorkerName, limit: Int, lease: Duration, logger: Logger
    ) async throws -> QueueClaim? {
        try await queueServeNext(&rotation, queue: queue, logger: logger) { tenant in
            let jobs = try await withTenant(tenant, logger: logger) { session in
                try await session.queueClaim(queue: queue, worker: worker, limit: limit, lease: lease)
            }
            return jobs.isEmpty ? nil : QueueClaim(tenantID: tenant, jobs: jobs)
        }
    }

    /// The rotation behind every fair claim: offers the next tenant in `rotation` with ready
    /// work in `queue` to `claim`, reading the next page of ready tenants when the round is
    /// over, until `claim` returns a result. `claim` returns nil when the tenant had nothing
    /// after all (other workers took its jobs since the page was read). Nil when no tenant has
    /// ready work.
    public func queueServeNext<Claimed>(
        _ rotation: inout TenantRotation, queue: QueueName, logger: Logger, claim: (UUID) async throws -> Claimed?
    ) async throws -> Claimed? {
        var pagesRead = 0
        while true {
            if rotation.needsRefill {
                // Two pages at most per call: the rest of the tenant order, then from its start.
                guard pagesRead < 2 else { return nil }
                pagesRead += 1
                let tenants = try await queueReadyTenants(
                    queue: queue, after: rotation.discoveryCursor, limit: rotation.pageSize, logger: logger)
                let wrapped = tenants.isEmpty && rotation.discoveryCursor != nil
                rotation.refill(with: tenants)
                if tenants.isEmpty && !wrapped { return nil }
                continue
            }
            guard let tenant = rotation.next() else { continue }
            if let claimed = try await claim(tenant) { return claimed }
        }
    }
}
