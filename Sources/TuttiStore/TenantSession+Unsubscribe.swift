import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

/// Who opted out of what by a one-click unsubscribe (``TenantSession/unsubscribeOneClick(customerID:messageID:topic:ip:userAgent:)``).
public struct UnsubscribeOutcome: Sendable, Equatable {
    public var customerID: UUID
    public var channel: ConsentChannel
    /// The topic key opted out of; '' for the channel's marketing as a whole.
    public var topic: String
}

extension TenantSession {
    /// RFC 8058 one-click: opts the customer out of the message's topic on the message's
    /// consent channel (e-mail when the message is gone or has none), with the request as
    /// evidence in the consent ledger. A mandatory topic cannot be left on its own, so an
    /// unsubscribe from one of its messages opts out of the channel's marketing as a whole.
    /// Nil when the customer no longer exists (erased).
    public func unsubscribeOneClick(customerID: UUID, messageID: UUID, topic: String, ip: String?, userAgent: String?)
        async throws
        -> UnsubscribeOutcome?
    {
        guard let live = try await customerResolve(id: customerID) else { return nil }
        let rows = try await query(
            """
            SELECT (SELECT m.channel_type FROM messages AS m WHERE m.tenant_id = \(tenantID) AND m.id = \(messageID)),
                   coalesce((SELECT t.mandatory FROM topics AS t WHERE t.tenant_id = \(tenantID) AND t.key = \(topic)), false)
            """)
        var channel = ConsentChannel.email
        var scope = topic
        for try await (channelType, mandatory) in rows.decode((String?, Bool).self) {
            if let recipient = channelType.flatMap({ ChannelRecipient.of(channelType: $0) }) {
                channel = recipient.consentChannel
            }
            if mandatory { scope = "" }
        }
        // A repeated click (providers retry) records nothing new: the opt-out stands.
        let current = try await consentList(customerID: live).first { $0.channel == channel && $0.topic == scope }
        guard current?.status != .optedOut else { return UnsubscribeOutcome(customerID: live, channel: channel, topic: scope) }
        _ = try await consentSet(
            customerID: live,
            ConsentChange(
                channel: channel, topic: scope, status: .optedOut, source: "one_click_unsubscribe", ip: ip, userAgent: userAgent))
        // On the timeline, where rules can count it (`count("Unsubscribed", last 30 days) >= 1`);
        // one per message, whatever the clicks.
        try await eventInsert([
            CustomerEvent(
                customerID: live, kind: .system, name: "Unsubscribed",
                properties: [
                    "message_id": .string(messageID.canonicalText), "topic": .string(scope), "channel": .string(channel.rawValue),
                    "method": .string("one_click"),
                ],
                channel: channel.rawValue, messageID: "unsubscribe:\(messageID.canonicalText)", occurredAt: Date())
        ])
        return UnsubscribeOutcome(customerID: live, channel: channel, topic: scope)
    }
}
