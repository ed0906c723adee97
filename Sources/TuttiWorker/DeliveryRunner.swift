import Curl
import Foundation
import Logging
import TuttiConnectors
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// Claims, sends and records delivery batches for the lanes of ``DeliveryService``.
///
/// A lane's round trips per batch: one transaction that records the previous batch's accepted
/// deliveries and claims the next batch with its messages
/// (``TenantSession/deliveryCycle(recording:queue:worker:limit:lease:)``), one that checks
/// each channel's circuit, and, only when something failed, one that records the failures.
/// Sends go per channel concurrently (with the channel's circuit and rate limit) while the
/// leases are heartbeaten.
struct DeliveryRunner: Sendable {
    let database: Database
    let transport: CurlTransport
    let keyring: ChannelKeyring
    let cache: ChannelCache
    let options: DeliveryOptions
    let worker: String
    let logger: Logger

    /// One job ready to send.
    struct Item: Sendable {
        var job: ClaimedQueueJob
        var message: MessageForDelivery
    }

    /// The next batch from the tenants in `rotation`, recording `carry` on the way: with the
    /// claim when the claim is from its tenant, else on its own first. Nil when no tenant has
    /// ready deliveries; `carry` is then recorded and nil.
    func claimNext(_ rotation: inout TenantRotation, finishing carry: inout FinishedBatch?) async throws -> DeliveryBatch? {
        let batch = try await database.queueServeNext(&rotation, queue: TenantSession.deliveryQueue, logger: logger) { tenant in
            var recording: FinishedBatch?
            if let finished = carry {
                carry = nil
                if finished.tenantID == tenant { recording = finished } else { try await finish(finished) }
            }
            let claimed = try await cycle(tenant: tenant, recording: recording, limit: options.batchSize)
            return claimed.isEmpty ? nil : DeliveryBatch(tenantID: tenant, deliveries: claimed)
        }
        if batch == nil, let finished = carry {
            carry = nil
            try await finish(finished)
        }
        return batch
    }

    /// Records a finished batch without claiming.
    func finish(_ finished: FinishedBatch) async throws {
        _ = try await cycle(tenant: finished.tenantID, recording: finished, limit: 0)
    }

    private func cycle(tenant: UUID, recording: FinishedBatch?, limit: Int) async throws -> [ClaimedDelivery] {
        let result = try await database.withTenant(tenant, logger: logger) { session in
            if let recording { try await recordCircuits(recording.circuits, session: session) }
            return try await session.deliveryCycle(
                recording: recording?.accepted ?? [], queue: TenantSession.deliveryQueue, worker: worker, limit: limit, lease: options.lease)
        }
        let queue = TenantSession.deliveryQueue.rawValue
        QueueMetrics.completed(result.recorded, queue: queue)
        QueueMetrics.claimed(result.claimed.count, queue: queue)
        return result.claimed
    }

    /// Sends `batch` and records its failures; returns what is left to record.
    func send(_ batch: DeliveryBatch) async throws -> FinishedBatch {
        let tenant = batch.tenantID
        var results: [DeliveryResult] = []
        var groups: [UUID: [Item]] = [:]
        for delivery in batch.deliveries {
            guard let message = delivery.message else {
                results.append(
                    DeliveryResult(
                        job: delivery.job, messageID: nil, channelID: nil,
                        outcome: .failed(reason: "the job names no message, or the message no longer exists"), milliseconds: 0))
                continue
            }
            groups[message.channelID, default: []].append(Item(job: delivery.job, message: message))
        }
        let channels = try await channels(Set(groups.keys), tenant: tenant)
        for (channelID, items) in groups where channels[channelID] == nil {
            groups[channelID] = nil
            results += items.map {
                DeliveryResult(
                    job: $0.job, messageID: $0.message.id, channelID: channelID, outcome: .failed(reason: "the channel was deleted"),
                    milliseconds: 0)
            }
        }

        let sent = try await withThrowingTaskGroup(of: [DeliveryResult]?.self) { group in
            group.addTask { try await heartbeat(batch.deliveries.map(\.job.lease), tenant: tenant); return nil }
            for (channelID, items) in groups {
                let entry = channels[channelID]!
                group.addTask { try await ChannelSender(runner: self, tenant: tenant, entry: entry).send(items) }
            }
            var all: [DeliveryResult] = []
            var pending = groups.count
            while pending > 0, let next = try await group.next() {
                if let next {
                    all.append(contentsOf: next)
                    pending -= 1
                }
            }
            group.cancelAll()
            return all
        }
        results.append(contentsOf: sent)
        DeliveryMetrics.record(results.map(\.outcome))

        var finished = FinishedBatch(tenantID: tenant, accepted: [], circuits: CircuitTally.tally(results))
        finished.accepted.reserveCapacity(results.count)
        var failed: [DeliveryResult] = []
        for result in results {
            if let accepted = result.acceptedDelivery { finished.accepted.append(accepted) } else { failed.append(result) }
        }
        if !failed.isEmpty {
            try await recordFailures(failed, circuits: finished.circuits, tenant: tenant)
            finished.circuits = [:]
        }
        return finished
    }

    /// The channels of a batch: from the cache, the others loaded with their credentials
    /// opened in one transaction. Deleted channels are missing from the answer.
    private func channels(_ ids: Set<UUID>, tenant: UUID) async throws -> [UUID: ChannelCache.Entry] {
        var found: [UUID: ChannelCache.Entry] = [:]
        var missing: [UUID] = []
        for id in ids {
            if let entry = await cache.get(tenantID: tenant, channelID: id) { found[id] = entry } else { missing.append(id) }
        }
        guard !missing.isEmpty else { return found }
        let loaded = try await database.withTenant(tenant, logger: logger) { session in
            var loaded: [UUID: ChannelCache.Entry] = [:]
            for id in missing {
                if let entry = try await loadChannel(id, tenant: tenant, session: session) { loaded[id] = entry }
            }
            return loaded
        }
        return found.merging(loaded) { first, _ in first }
    }

    /// A channel from the cache, or loaded with its credentials opened.
    func loadChannel(_ id: UUID, tenant: UUID, session: TenantSession) async throws -> ChannelCache.Entry? {
        if let entry = await cache.get(tenantID: tenant, channelID: id) { return entry }
        guard let channel = try await session.channelLoad(id: id, keyring: keyring) else { return nil }
        return await cache.put(tenantID: tenant, channel: channel)
    }

    /// Extends the leases every third of the lease until cancelled.
    private func heartbeat(_ leases: [QueueLease], tenant: UUID) async throws {
        while true {
            try await Task.sleep(for: options.lease / 3)
            let lost = try await database.withTenant(tenant, logger: logger) { try await $0.queueHeartbeat(leases, lease: options.lease) }
            if !lost.isEmpty { logger.warning("leases lost while sending", metadata: ["tenant.id": "\(tenant)", "leases": "\(lost.count)"]) }
        }
    }

    /// Records the attempts that were not accepted, their jobs' next step (retry or dead
    /// letter) and the circuits, in one transaction. Deliveries that were never sent because
    /// their channel's circuit was open or probing are postponed instead: no attempt is used
    /// up and none is logged, since the gateway was not asked.
    private func recordFailures(_ results: [DeliveryResult], circuits: [UUID: CircuitTally], tenant: UUID) async throws {
        var attempts: [MessageAttemptRecord] = []
        var failures: [QueueFailure] = []
        var postponed: [QueuePostponement] = []
        for result in results {
            switch result.outcome {
            case .accepted: continue
            case .retryLater(let after, _) where !result.countsForCircuit:
                postponed.append(QueuePostponement(lease: result.job.lease, delay: after ?? .seconds(1)))
                continue
            case .retryLater(let after, let reason):
                failures.append(QueueFailure(lease: result.job.lease, message: reason, disposition: .retry(retryAfter: after)))
            case .failed(let reason): failures.append(QueueFailure(lease: result.job.lease, message: reason, disposition: .permanent))
            }
            guard let messageID = result.messageID, let channelID = result.channelID else { continue }
            attempts.append(result.attemptRecord(messageID: messageID, channelID: channelID))
        }
        let outcome = try await database.withTenant(tenant, logger: logger) { session in
            try await session.messageRecordAttempts(attempts, worker: worker)
            let outcome = try await session.queueFail(failures)
            try await session.queuePostpone(postponed)
            try await recordCircuits(circuits, session: session)
            return outcome
        }
        let queue = TenantSession.deliveryQueue.rawValue
        QueueMetrics.failed(failures.count, queue: queue)
        QueueMetrics.deadLettered(outcome.deadLettered, queue: queue)
    }

    private func recordCircuits(_ circuits: [UUID: CircuitTally], session: TenantSession) async throws {
        for (channelID, tally) in circuits {
            try await session.channelCircuitRecord(
                channelID: channelID, succeeded: tally.succeeded, trailingFailures: tally.trailingFailures, threshold: options.circuitThreshold,
                cooldown: options.circuitCooldown, lastFailure: tally.lastFailure)
        }
    }
}
