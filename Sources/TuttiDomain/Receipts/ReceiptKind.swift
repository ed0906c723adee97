/// What a gateway reported about a message (or, for `inbound` and the SMS keywords, what a
/// customer sent back). Stable strings: they are stored and shown in a message's history.
public enum ReceiptKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// The gateway passed the message on (Twilio `sent`: handed to the carrier).
    case sent
    /// A temporary failure; the gateway keeps trying (SendGrid `deferred`).
    case deferred
    case delivered
    /// The carrier could not deliver it (Twilio `undelivered`).
    case undelivered
    /// The gateway could not send it at all (Twilio `failed`).
    case failed
    /// The receiving server refused the address for good: a hard bounce, which suppresses it.
    case bounced
    /// The receiving server refused this message (reputation, content); the address stays.
    case blocked
    /// The gateway did not send it (SendGrid `dropped`: a suppressed or invalid address).
    case dropped
    case opened
    case clicked
    /// A spam report: suppresses the address and opts it out of marketing.
    case complained
    /// Opted out through the gateway (SendGrid unsubscribe, an SMS STOP).
    case unsubscribed
    /// Opted back in (an SMS START).
    case resubscribed
    /// An SMS HELP or INFO, answered with the tenant's help text.
    case help
    /// Any other inbound SMS.
    case inbound

    /// The event recorded on the customer's timeline, which rules can count.
    public var eventName: String {
        switch self {
        case .sent: "Message Sent"
        case .deferred: "Message Deferred"
        case .delivered: "Message Delivered"
        case .undelivered: "Message Undelivered"
        case .failed: "Message Failed"
        case .bounced, .blocked: "Message Bounced"
        case .dropped: "Message Dropped"
        case .opened: "Message Opened"
        case .clicked: "Message Clicked"
        case .complained: "Complained"
        case .unsubscribed: "Unsubscribed"
        case .resubscribed: "Resubscribed"
        case .help: "SMS Help Requested"
        case .inbound: "SMS Received"
        }
    }

    /// How final the report is as a delivery status, or nil when it is not one (engagement,
    /// consent, inbound). A message's status only moves to a report of the same or a higher
    /// rank: gateways deliver reports out of order, and a late "delivered" must not hide the
    /// bounce that followed it.
    public var deliveryRank: Int? {
        switch self {
        case .sent: 1
        case .deferred: 2
        case .delivered: 3
        case .undelivered, .failed, .bounced, .blocked, .dropped: 4
        case .opened, .clicked, .complained, .unsubscribed, .resubscribed, .help, .inbound: nil
        }
    }

    /// Every delivery status by rank, for the SQL that compares a stored status with a new one.
    public static var deliveryRanks: [(status: String, rank: Int)] {
        allCases.compactMap { kind in kind.deliveryRank.map { (kind.rawValue, $0) } }
    }
}
