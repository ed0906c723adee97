/// One mail submission for ``CurlTransport/sendMail(_:)``: where to, the envelope, and the
/// message itself as finished MIME bytes.
///
/// The transport does not build MIME; it only carries bytes (libcurl dot-stuffs lines that
/// start with a period). A plain value, so a retry sends exactly the same message; its
/// description leaves the password out.
public struct SMTPMessage: Sendable, Hashable, CustomStringConvertible {
    /// `smtp://host:port` (plain, upgraded with STARTTLS when ``requireTLS`` is set) or
    /// `smtps://host:port` (TLS from the first byte, usually port 465). A path becomes the
    /// name we greet with in `EHLO` (`smtp://mail.example.com:587/tutti.example.com`).
    public var url: String
    /// The envelope sender (`MAIL FROM`), the address bounces go to; without angle brackets.
    public var from: String
    /// The envelope recipients (`RCPT TO`), without angle brackets. A refusal of any of them
    /// fails the submission.
    public var recipients: [String]
    /// The whole message, headers and body, with CRLF line ends.
    public var data: [UInt8]
    /// `AUTH` user name and password, or nil to send without authenticating.
    public var credentials: Credentials?
    /// For `smtp://` URLs: insist on STARTTLS and fail with ``CurlTransportError/Code/tls``
    /// when the server does not offer it, instead of sending in the clear.
    public var requireTLS: Bool
    /// PEM certificates to trust for this server instead of the transport's CA store; for
    /// private relays and tests. Verification itself stays on.
    public var caCertificates: String?
    /// Limit for connection set-up; nil uses ``CurlTransport/Configuration/connectTimeout``.
    public var connectTimeout: Duration?
    /// Limit for the whole submission; nil uses ``CurlTransport/Configuration/timeout``.
    public var timeout: Duration?

    /// SMTP `AUTH` credentials; libcurl picks the strongest mechanism the server offers.
    public struct Credentials: Sendable, Hashable {
        /// The user name.
        public var username: String
        /// The password; never part of any description.
        public var password: String

        /// Creates credentials.
        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    /// Creates a submission; see each property for its meaning.
    public init(
        url: String, from: String, recipients: [String], data: [UInt8], credentials: Credentials? = nil,
        requireTLS: Bool = false, caCertificates: String? = nil, connectTimeout: Duration? = nil, timeout: Duration? = nil
    ) {
        self.url = url
        self.from = from
        self.recipients = recipients
        self.data = data
        self.credentials = credentials
        self.requireTLS = requireTLS
        self.caCertificates = caCertificates
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }

    /// The server, envelope and size, never the password or the content.
    public var description: String {
        "SMTPMessage(\(CurlURL.host(of: url) ?? "?"), from: \(from), to: \(recipients.joined(separator: ", ")), \(data.count) bytes"
            + (credentials.map { ", user: \($0.username)" } ?? "") + ")"
    }
}
