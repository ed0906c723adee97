import Curl
import Foundation
import Logging
import TuttiDomain
import TuttiStore

/// Sends one claimed batch: groups its deliveries by channel, sends each channel's group
/// concurrently (``ChannelSender``) while the leases are heartbeaten, and decides every
/// delivery's next step (``BatchOutcome``).
struct BatchSender: Sendable {
    let database: Database
    let ledger: DeliveryLedger
    let directory: ChannelDirectory
    let transport: CurlTransport
    let inFlightPerChannel: Int
    let logger: Logger

    func send(_ batch: DeliveryBatch) async throws -> BatchOutcome {
        let tenant = batch.tenantID
        var results: [DeliveryResult] = []
        var groups: [UUID: [DeliveryItem]] = [:]
        for delivery in batch.deliveries {
            guard let message = delivery.message else {
                results.append(
                    DeliveryResult(
                        job: delivery.job,
                        outcome: .undeliverable(reason: "the job names no message, or the message no longer exists")))
                continue
            }
            groups[message.channelID, default: []].append(DeliveryItem(job: delivery.job, message: message))
        }
        let channels = try await directory.channels(Set(groups.keys), tenant: tenant)
        for (channelID, items) in groups where channels[channelID] == nil {
            groups[channelID] = nil
            results += items.map {
                DeliveryResult(
                    job: $0.job, messageID: $0.message.id, channelID: channelID,
                    outcome: .undeliverable(reason: "the channel was deleted"))
            }
        }

        var seen: [UUID: CircuitBreaker.State] = [:]
        try await withThrowingTaskGroup(of: ChannelSender.Sent?.self) { group in
            group.addTask {
                try await ledger.heartbeat(batch.deliveries.map(\.job.lease), tenant: tenant); return nil
            }
            for (channelID, items) in groups {
                let sender = ChannelSender(
                    tenant: tenant, entry: channels[channelID]!, database: database, circuits: ledger.circuits,
                    directory: directory,
                    transport: transport, inFlight: inFlightPerChannel, logger: logger)
                group.addTask { try await sender.send(items) }
            }
            var pending = groups.count
            while pending > 0, let next = try await group.next() {
                guard let next else { continue }
                results += next.results
                seen[next.circuitSeen.channelID] = next.circuitSeen.state
                pending -= 1
            }
            group.cancelAll()
        }
        DeliveryMetrics.record(results)
        return BatchOutcome(tenantID: tenant, results: results, circuitsSeen: seen)
    }
}
