/// The kinds of identity by which a customer is known. Written as text in the API and the
/// database: `email`, `phone`, …, `other:NAME` for a tenant's own kinds.
public enum IdentityType: Sendable, Hashable, CustomStringConvertible {
    case externalID
    case email
    case phone
    case anonymousID
    case x
    case facebook
    case instagram
    case mastodon
    case apns
    case fcm
    /// A tenant-defined kind, `other:NAME` (lower-case letters, digits, `_` and `-`).
    case other(String)

    public static let builtIn: [IdentityType] = [
        .externalID, .email, .phone, .anonymousID, .x, .facebook, .instagram, .mastodon, .apns, .fcm,
    ]

    public var description: String {
        switch self {
        case .externalID: "external_id"
        case .email: "email"
        case .phone: "phone"
        case .anonymousID: "anonymous_id"
        case .x: "x"
        case .facebook: "facebook"
        case .instagram: "instagram"
        case .mastodon: "mastodon"
        case .apns: "apns"
        case .fcm: "fcm"
        case .other(let name): "other:\(name)"
        }
    }

    public init?(_ text: String) {
        if let builtIn = Self.builtIn.first(where: { $0.description == text }) {
            self = builtIn
            return
        }
        guard text.hasPrefix("other:") else { return nil }
        let name = text.dropFirst("other:".count)
        guard (1...32).contains(name.count),
            name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_" || $0 == "-") })
        else { return nil }
        self = .other(String(name))
    }

    /// The consent channel an identity of this kind reaches, if any.
    public var channel: ConsentChannel? {
        switch self {
        case .email: .email
        case .phone: .sms
        case .apns, .fcm: .push
        case .x, .facebook, .instagram, .mastodon: .social
        default: nil
        }
    }
}
