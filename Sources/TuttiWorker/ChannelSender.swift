import Curl
import Foundation
import TuttiConnectors
import TuttiDomain
import TuttiStore

/// Sends one claim's deliveries of one channel: checks the circuit (fail-over to the
/// secondary channel while it is open, or reschedule), takes rate-limit tokens from the
/// shared bucket, and keeps at most ``DeliveryOptions/inFlightPerChannel`` requests in flight.
struct ChannelSender: Sendable {
    let runner: DeliveryRunner
    let tenant: UUID
    let entry: ChannelCache.Entry

    func send(_ items: [DeliveryRunner.Item]) async throws -> [DeliveryResult] {
        let options = runner.options
        let circuit = try await runner.database.withTenant(tenant, logger: runner.logger) {
            try await $0.channelCircuitCheck(channelID: entry.channel.id, cooldown: options.circuitCooldown)
        }
        var target = entry
        var toSend = items[...]
        var results: [DeliveryResult] = []
        switch circuit {
        case .closed: break
        case .probe:
            // One message probes the half-open circuit; the others wait a moment for its verdict.
            toSend = items.prefix(1)
            results += items.dropFirst().map { notSent($0, after: .seconds(1), reason: "circuit half-open; waiting for the probe") }
        case .open(let wait):
            if let secondaryID = entry.channel.secondaryChannelID, let secondary = try await loadSecondary(secondaryID) {
                target = secondary
            } else {
                return items.map { notSent($0, after: wait, reason: "circuit open for channel \(entry.channel.id.uuidString.lowercased())") }
            }
        }
        if let rate = target.channel.rateLimitPerSecond {
            // A small bucket (1% of a second's worth) keeps every one-second window within 1%.
            let burst = max(1, Double(rate) / 100)
            while !toSend.isEmpty {
                let granted = try await runner.database.withTenant(tenant, logger: runner.logger) {
                    try await $0.channelTakeTokens(channelID: target.channel.id, count: toSend.count, perSecond: rate, burst: burst)
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
        return results
    }

    private func loadSecondary(_ id: UUID) async throws -> ChannelCache.Entry? {
        let entry = try await runner.database.withTenant(tenant, logger: runner.logger) { session in
            try await runner.loadChannel(id, tenant: tenant, session: session)
        }
        return entry?.channel.type == self.entry.channel.type ? entry : nil
    }

    private func notSent(_ item: DeliveryRunner.Item, after: Duration, reason: String) -> DeliveryResult {
        DeliveryResult(
            job: item.job, messageID: item.message.id, channelID: entry.channel.id, outcome: .retryLater(after: after, reason: reason),
            milliseconds: 0, countsForCircuit: false)
    }

    /// Sends `items` through the connector as one batch, at most `inFlightPerChannel` at once.
    private func sendWindow(_ items: ArraySlice<DeliveryRunner.Item>, through target: ChannelCache.Entry) async -> [DeliveryResult] {
        let deliveries = items.map { item in
            let content = item.message.content
            return Delivery(
                id: item.message.id, tenantID: tenant, messageID: item.message.id, customerID: item.message.customerID,
                recipient: item.message.recipient,
                content: MessageContent(
                    subject: content["subject"]?.stringValue, text: content["text"]?.stringValue, html: content["html"]?.stringValue,
                    data: content["data"]))
        }
        let sent = await target.connector.send(deliveries, through: runner.transport, concurrency: runner.options.inFlightPerChannel)
        return zip(items, sent).map { item, sent in
            DeliveryResult(
                job: item.job, messageID: item.message.id, channelID: target.channel.id, outcome: sent.outcome,
                milliseconds: Int(sent.duration / .milliseconds(1)), httpStatus: sent.httpStatus, messageRowVersion: item.message.rowVersion)
        }
    }
}
