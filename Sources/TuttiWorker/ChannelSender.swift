import Curl
import Foundation
import Logging
import TuttiConnectors
import TuttiDomain
import TuttiQueue
import TuttiStore

/// Sends one claim's deliveries of one channel: asks the channel's circuit (fail-over to the
/// secondary channel while it is open, or hand the deliveries back unsent), takes rate-limit
/// tokens from the shared bucket, and keeps at most `inFlight` requests in flight.
struct ChannelSender: Sendable {
    let tenant: UUID
    let entry: ChannelCache.Entry
    let database: Database
    let circuits: CircuitGate
    let directory: ChannelDirectory
    let transport: CurlTransport
    let inFlight: Int
    let logger: Logger

    /// What the channel's deliveries came to, and the channel's circuit as seen before sending.
    struct Sent: Sendable {
        var results: [DeliveryResult]
        var circuitSeen: (channelID: UUID, state: CircuitBreaker.State)
    }

    func send(_ items: [DeliveryItem]) async throws -> Sent {
        let (permission, seen) = try await circuits.check(tenant: tenant, channelID: entry.channel.id)
        var target = entry
        var toSend = items[...]
        var results: [DeliveryResult] = []
        switch permission {
        case .send: break
        case .probe:
            // One message probes the half-open circuit; the others wait a moment for its verdict.
            toSend = items.prefix(1)
            results += items.dropFirst().map {
                notSent($0, wait: .seconds(1), reason: "circuit half-open; waiting for the probe")
            }
        case .wait(let wait):
            guard let secondaryID = entry.channel.secondaryChannelID,
                let secondary = try await directory.channel(secondaryID, tenant: tenant),
                secondary.channel.type == entry.channel.type
            else {
                let reason = "circuit open for channel \(entry.channel.id.canonicalText)"
                return Sent(results: items.map { notSent($0, wait: wait, reason: reason) }, circuitSeen: (entry.channel.id, seen))
            }
            target = secondary
        }
        if let rate = target.channel.rateLimitPerSecond {
            // A small bucket (1% of a second's worth) keeps every one-second window within 1%.
            let burst = max(1, Double(rate) / 100)
            while !toSend.isEmpty {
                let granted = try await database.withTenant(tenant, logger: logger) {
                    try await $0.channelTakeTokens(
                        channelID: target.channel.id, count: toSend.count, perSecond: rate, burst: burst)
                }
                if granted == 0 {
                    try await Task.sleep(for: .seconds(max(0.002, burst / Double(rate))))
                    continue
                }
                results += await sendWindow(toSend.prefix(granted), through: target)
                toSend = toSend.dropFirst(granted)
            }
        } else {
            results += await sendWindow(toSend, through: target)
        }
        return Sent(results: results, circuitSeen: (entry.channel.id, seen))
    }

    private func notSent(_ item: DeliveryItem, wait: Duration, reason: String) -> DeliveryResult {
        DeliveryResult(
            job: item.job, messageID: item.message.id, channelID: entry.channel.id, outcome: .notSent(wait: wait, reason: reason))
    }

    /// Sends `items` through the connector as one batch, at most `inFlight` at once.
    private func sendWindow(_ items: ArraySlice<DeliveryItem>, through target: ChannelCache.Entry) async -> [DeliveryResult] {
        let deliveries = items.map { item in
            Delivery(
                id: item.message.id, tenantID: tenant, messageID: item.message.id, customerID: item.message.customerID,
                recipient: item.message.recipient, content: item.message.content, unsubscribe: item.message.unsubscribe)
        }
        let sent = await target.connector.send(deliveries, through: transport, concurrency: inFlight)
        return zip(items, sent).map { item, sent in
            DeliveryResult(
                job: item.job, messageID: item.message.id, channelID: target.channel.id, outcome: .sent(sent.outcome),
                milliseconds: Int(sent.duration / .milliseconds(1)), httpStatus: sent.httpStatus,
                messageRowVersion: item.message.rowVersion)
        }
    }
}

/// One claimed job ready to send, with its message.
struct DeliveryItem: Sendable {
    var job: ClaimedQueueJob
    var message: MessageForDelivery
}
