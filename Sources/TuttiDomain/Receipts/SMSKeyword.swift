/// The SMS keywords carriers and the CTIA expect every sender to honour. An inbound message
/// is a keyword only when it is the whole message, trimmed and in any case ("stop please" is
/// not a STOP: it becomes an `SMS Received` event for a person to read).
public enum SMSKeyword: String, Sendable, Hashable, CaseIterable {
    case optOut
    case optIn
    case help

    static let words: [String: SMSKeyword] = [
        "STOP": .optOut, "STOPALL": .optOut, "UNSUBSCRIBE": .optOut, "CANCEL": .optOut, "END": .optOut, "QUIT": .optOut,
        "REVOKE": .optOut, "OPTOUT": .optOut,
        "START": .optIn, "UNSTOP": .optIn, "YES": .optIn,
        "HELP": .help, "INFO": .help,
    ]

    /// The keyword `body` is, or nil.
    public init?(body: String) {
        guard let keyword = Self.words[body.trimmedOfWhitespace.uppercased()] else { return nil }
        self = keyword
    }

    /// The receipt kind an inbound SMS of this keyword is recorded as.
    public var receiptKind: ReceiptKind {
        switch self {
        case .optOut: .unsubscribed
        case .optIn: .resubscribed
        case .help: .help
        }
    }

    /// The help text a tenant that set none answers HELP with.
    public static func defaultHelpText(tenantName: String) -> String {
        "\(tenantName): for help, reply to this message or contact us. Msg&data rates may apply. Reply STOP to opt out, START to opt back in."
    }
}
