/// An SMTP relay and the sender a channel's mails come from.
public struct SMTPChannelConfiguration: Sendable, Hashable {
    /// How the connection is protected.
    public enum Security: String, Sendable, Hashable {
        /// Plain connection upgraded with STARTTLS, which must be offered (port 587).
        case starttls
        /// TLS from the first byte (`smtps`, port 465).
        case tls
        /// No TLS at all: only for relays on the same host or network.
        case none
    }

    public var host: String
    /// Default 587 (465 with `tls`).
    public var port: Int
    public var security: Security
    /// `AUTH` user, or nil to send without authenticating.
    public var username: String?
    /// `AUTH` password. Secret.
    public var password: String?
    /// The `From` address, also the envelope sender unless ``bounceAddress`` is set.
    public var fromAddress: String
    /// The display name in `From`, or nil.
    public var fromName: String?
    /// A `Reply-To` address, or nil.
    public var replyTo: String?
    /// The envelope sender (`MAIL FROM`) where bounces go, or nil for ``fromAddress``.
    public var bounceAddress: String?
    /// An address for `List-Unsubscribe: <mailto:…>` when a delivery carries no link of its own.
    public var unsubscribeMailto: String?
    /// The domain after the `@` of Message-IDs. Default: the domain of ``fromAddress``.
    public var messageIDDomain: String
    /// PEM certificates to trust for the relay instead of the system store (a private CA).
    public var caCertificates: String?

    public static let secretFields = ["password"]

    init(reading reader: inout ChannelConfigReader) {
        host = reader.string("host", required: true, maxLength: 253) ?? ""
        security = Security(rawValue: reader.choice("security", ["starttls", "tls", "none"], default: "starttls")) ?? .starttls
        port = reader.integer("port", default: security == .tls ? 465 : 587, in: 1...65535) ?? 587
        username = reader.string("username", maxLength: 512)
        password = reader.string("password", maxLength: 512)
        if username != nil && password == nil { reader.fail("password", "is required with a username") }
        fromAddress = reader.email("from_address", required: true) ?? ""
        fromName = reader.string("from_name", maxLength: 200)
        replyTo = reader.email("reply_to")
        bounceAddress = reader.email("bounce_address")
        unsubscribeMailto = reader.email("unsubscribe_mailto")
        let domain = fromAddress.split(separator: "@").last.map(String.init) ?? "localhost"
        messageIDDomain = reader.string("message_id_domain", maxLength: 253) ?? domain
        caCertificates = reader.pem("ca_pem")
        if host.contains(where: { $0 == "/" || $0 == "@" || $0 == ":" || $0 == " " }) {
            reader.fail("host", "must be a host name or IPv4 address, without scheme or port")
        }
    }

    var publicFields: [String: JSONValue] {
        var fields: [String: JSONValue] = [
            "host": .string(host), "port": .number(Double(port)), "security": .string(security.rawValue),
            "from_address": .string(fromAddress), "message_id_domain": .string(messageIDDomain),
        ]
        fields["username"] = username.map(JSONValue.string)
        fields["from_name"] = fromName.map(JSONValue.string)
        fields["reply_to"] = replyTo.map(JSONValue.string)
        fields["bounce_address"] = bounceAddress.map(JSONValue.string)
        fields["unsubscribe_mailto"] = unsubscribeMailto.map(JSONValue.string)
        fields["ca_pem"] = caCertificates.map(JSONValue.string)
        return fields
    }

    var secrets: [String: String] { password.map { ["password": $0] } ?? [:] }
}
