import Curl
import Foundation
import Logging
import TuttiConnectors
import TuttiDomain
import TuttiStore

/// Runs one claim: loads its messages and channels, sends per channel concurrently (with
/// the channel's circuit and rate limit), heartbeats the leases meanwhile, and records every
/// outcome in one transaction (attempts, message states, queue complete and fail, circuits).
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

    func run(_ claim: QueueClaim) async throws {
        let tenant = claim.tenantID
        var byMessage: [UUID: ClaimedQueueJob] = [:]
        var results: [DeliveryResult] = []
        for job in claim.jobs {
            if let id = Self.messageID(job.payload) { byMessage[id] = job } else {
                results.append(DeliveryResult(job: job, messageID: nil, channelID: nil, outcome: .failed(reason: "the job names no message"), milliseconds: 0))
            }
        }
        let (messages, channels) = try await database.withTenant(tenant, logger: logger) { session in
            let messages = try await session.messagesForDelivery(ids: Array(byMessage.keys))
            var channels: [UUID: ChannelCache.Entry] = [:]
            for id in Set(messages.values.map(\.channelID)) {
                if let entry = try await loadChannel(id, tenant: tenant, session: session) { channels[id] = entry }
            }
            return (messages, channels)
        }
        var groups: [UUID: [Item]] = [:]
        for (id, job) in byMessage {
            guard let message = messages[id] else {
                results.append(DeliveryResult(job: job, messageID: nil, channelID: nil, outcome: .failed(reason: "the message no longer exists"), milliseconds: 0))
                continue
            }
            guard channels[message.channelID] != nil else {
                results.append(
                    DeliveryResult(job: job, messageID: id, channelID: message.channelID, outcome: .failed(reason: "the channel was deleted"), milliseconds: 0))
                continue
            }
            groups[message.channelID, default: []].append(Item(job: job, message: message))
        }

        let sent = try await withThrowingTaskGroup(of: [DeliveryResult]?.self) { group in
            group.addTask { try await heartbeat(claim.jobs.map(\.lease), tenant: tenant); return nil }
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
        try await record(results, tenant: tenant)
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

    /// Writes every outcome in one transaction.
    private func record(_ results: [DeliveryResult], tenant: UUID) async throws {
        var attempts: [MessageAttemptRecord] = []
        var completed: [QueueLease] = []
        var failures: [QueueFailure] = []
        for result in results {
            switch result.outcome {
            case .accepted: completed.append(result.job.lease)
            case .retryLater(let after, let reason):
                failures.append(QueueFailure(lease: result.job.lease, message: reason, disposition: .retry(retryAfter: after)))
            case .failed(let reason): failures.append(QueueFailure(lease: result.job.lease, message: reason, disposition: .permanent))
            }
            guard let messageID = result.messageID, let channelID = result.channelID else { continue }
            attempts.append(result.attemptRecord(messageID: messageID, channelID: channelID))
        }
        let circuits = CircuitTally.tally(results)
        try await database.withTenant(tenant, logger: logger) { session in
            try await session.messageRecordAttempts(attempts, worker: worker)
            try await session.queueComplete(completed)
            try await session.queueFail(failures)
            for (channelID, tally) in circuits {
                try await session.channelCircuitRecord(
                    channelID: channelID, succeeded: tally.succeeded, trailingFailures: tally.trailingFailures, threshold: options.circuitThreshold,
                    cooldown: options.circuitCooldown, lastFailure: tally.lastFailure)
            }
        }
    }

    /// The `message_id` of a delivery job's payload.
    static func messageID(_ payload: String) -> UUID? {
        guard case .object(let object)? = JSONValue.parse(payload), let text = object["message_id"]?.stringValue else { return nil }
        return UUID(uuidString: text)
    }
}
