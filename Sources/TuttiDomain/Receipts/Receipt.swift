import Foundation

/// One report from a gateway, in the shape every gateway's callback is turned into before it
/// is stored (``ReceiptKind`` says what happened; the effects say what it changes). Twilio and
/// SendGrid build these today; SES through SNS will build the same.
public struct Receipt: Sendable, Hashable {
    /// The gateway's identity of this report: a replay with the same key changes nothing.
    public var dedupKey: String
    /// The channel whose callback URL the report came to.
    public var channelID: UUID
    /// `twilio`, `sendgrid`, `ses`, …
    public var gateway: String
    public var kind: ReceiptKind
    /// The status or event name exactly as the gateway sent it.
    public var gatewayStatus: String
    /// Our message, when the gateway echoed its id back (SendGrid's `custom_args`).
    public var messageID: UUID?
    /// The gateway's id for our message (`provider_message_id`), when it names the message so.
    public var providerMessageID: String?
    /// The address the report is about (the recipient, or an inbound SMS's sender), used to
    /// find the customer when no message is named and for suppression.
    public var address: Identity?
    public var occurredAt: Date
    /// What else the gateway said, shown in the history and on the timeline event.
    public var detail: [String: JSONValue]
    /// Suppress ``address`` for this reason.
    public var suppression: SuppressionReason?
    /// Lift a suppression of ``address`` that an SMS STOP made (an SMS START).
    public var liftsStopSuppression = false
    /// Record this consent change for the customer, with the receipt as evidence.
    public var consent: (channel: ConsentChannel, status: ConsentStatus)?
    /// The evidence written in the consent ledger's `source`.
    public var consentSource: String?

    public init(
        dedupKey: String, channelID: UUID, gateway: String, kind: ReceiptKind, gatewayStatus: String, messageID: UUID? = nil,
        providerMessageID: String? = nil, address: Identity? = nil, occurredAt: Date, detail: [String: JSONValue] = [:]
    ) {
        self.dedupKey = dedupKey
        self.channelID = channelID
        self.gateway = gateway
        self.kind = kind
        self.gatewayStatus = gatewayStatus
        self.messageID = messageID
        self.providerMessageID = providerMessageID
        self.address = address
        self.occurredAt = occurredAt
        self.detail = detail
    }

    public static func == (lhs: Receipt, rhs: Receipt) -> Bool { lhs.dedupKey == rhs.dedupKey }
    public func hash(into hasher: inout Hasher) { hasher.combine(dedupKey) }
}

/// One receipt in a message's history (`GET /v1/messages/{id}`).
public struct MessageReceipt: Sendable, Hashable {
    public var kind: ReceiptKind
    public var gateway: String
    public var gatewayStatus: String
    public var occurredAt: Date
    public var receivedAt: Date
    public var detail: [String: JSONValue]

    public init(
        kind: ReceiptKind, gateway: String, gatewayStatus: String, occurredAt: Date, receivedAt: Date, detail: [String: JSONValue]
    ) {
        self.kind = kind
        self.gateway = gateway
        self.gatewayStatus = gatewayStatus
        self.occurredAt = occurredAt
        self.receivedAt = receivedAt
        self.detail = detail
    }
}
