/// The channels a cap or quiet hours apply to: every channel, or a list of names, each a
/// channel type (`smtp`, `twilio`, …, see ``ChannelType``) or a kind that stands for the
/// types that send to it: `email` (smtp, ses, sendgrid), `sms` (sns, twilio), `social`
/// (mastodon).
public enum ChannelSelection: Sendable, Hashable {
    case all
    /// The names as given (kept for the API's answer), each known.
    case only([String])

    /// The kinds accepted besides channel types, with the types they stand for.
    public static let kinds: [String: [ChannelType]] = [
        "email": [.smtp, .ses, .sendgrid],
        "sms": [.sns, .twilio],
        "social": [.mastodon],
    ]

    /// Every name a list may hold: the channel types, then the kinds.
    public static var knownNames: [String] { ChannelType.allCases.map(\.rawValue) + kinds.keys.sorted() }

    /// The channel types selected, sorted (every type for ``all``).
    public var channelTypes: [String] {
        switch self {
        case .all: return ChannelType.allCases.map(\.rawValue).sorted()
        case .only(let names):
            var types = Set<String>()
            for name in names {
                if let kind = Self.kinds[name] { types.formUnion(kind.map(\.rawValue)) } else { types.insert(name) }
            }
            return types.sorted()
        }
    }

    /// Whether a message on a channel of `channelType` is selected.
    public func contains(_ channelType: String) -> Bool {
        switch self {
        case .all: true
        case .only: channelTypes.contains(channelType)
        }
    }
}
