import Foundation
import Logging
import TuttiDomain
import TuttiQueue
import TuttiRuntime
import TuttiStore

/// A lane's records in the database: the delivery cycle (record the last batch's accepted
/// deliveries and claim the next, one round trip), a batch's failures, and lease heartbeats.
struct DeliveryLedger: Sendable {
    let database: Database
    let circuits: CircuitGate
    let worker: QueueWorkerName
    let lease: Duration
    let logger: Logger

    private var queue: String { TenantSession.deliveryQueue.rawValue }

    /// Records `recording` (from `tenant`, or nothing) and claims up to `limit` deliveries of
    /// `tenant`, in one transaction. A `limit` of 0 only records.
    func cycle(tenant: UUID, recording: BatchOutcome?, limit: Int) async throws -> [ClaimedDelivery] {
        let result = try await database.withTenant(tenant, logger: logger) { session in
            if let recording, !recording.circuits.isEmpty { try await circuits.record(recording.circuits, session: session) }
            return try await session.deliveryCycle(
                recording: recording?.accepted ?? [], queue: TenantSession.deliveryQueue, worker: worker, limit: limit,
                lease: lease)
        }
        QueueMetrics.completed(result.recorded, queue: queue)
        QueueMetrics.claimed(result.claimed.count, queue: queue)
        return result.claimed
    }

    /// Persists the failures and postponements of `outcome`, with the attempts on their
    /// messages and the circuits, in one transaction; returns what is left to record (the
    /// accepted deliveries), which the lane records with its next claim.
    func recordFailures(_ outcome: BatchOutcome) async throws -> BatchOutcome {
        guard outcome.hasFailures else { return outcome }
        let deadLettered = try await database.withTenant(outcome.tenantID, logger: logger) { session in
            try await session.messageRecordAttempts(outcome.attempts, worker: worker)
            let result = try await session.queueFail(outcome.failures)
            try await session.queuePostpone(outcome.postponed)
            try await circuits.record(outcome.circuits, session: session)
            return result.deadLettered
        }
        QueueMetrics.failed(outcome.failures.count, queue: queue)
        QueueMetrics.deadLettered(deadLettered, queue: queue)
        var left = BatchOutcome(tenantID: outcome.tenantID)
        left.accepted = outcome.accepted
        return left
    }

    /// Extends `leases` every third of the lease until cancelled.
    func heartbeat(_ leases: [QueueLease], tenant: UUID) async throws {
        while true {
            try await Task.sleep(for: lease / 3)
            let lost = try await database.withTenant(tenant, logger: logger) { try await $0.queueHeartbeat(leases, lease: lease) }
            if !lost.isEmpty {
                logger.warning(
                    "leases lost while sending", metadata: ["tenant.id": "\(tenant.canonicalText)", "leases": "\(lost.count)"])
            }
        }
    }
}
