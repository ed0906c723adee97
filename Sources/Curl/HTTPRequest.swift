/// One HTTP request for ``CurlTransport/send(_:)``.
///
/// A plain value so it can be built anywhere, logged (mind the headers) and
/// retried unchanged.
public struct HTTPRequest: Sendable, Hashable {
    /// The request method.
    public var method: HTTPMethod
    /// The absolute URL, e.g. `https://api.example.com/v1/messages`. Its
    /// scheme must be one of ``CurlTransport/Configuration/allowedProtocols``.
    public var url: String
    /// Header fields to send. libcurl adds `Host`, `Content-Length` and
    /// `Accept: */*` itself; a field given here replaces libcurl's own.
    /// No `Content-Type` is sent unless set here, and libcurl's
    /// `Expect: 100-continue` is suppressed unless set here. Values must not
    /// contain CR or LF (the request fails with
    /// ``CurlTransportError/Code/invalidRequest``).
    public var headers: HTTPHeaders
    /// The request body; sent for any method when non-empty, and as an empty
    /// body (`Content-Length: 0`) for POST, PUT and PATCH.
    public var body: [UInt8]
    /// Limit for DNS resolution plus TCP and TLS set-up; nil uses
    /// ``CurlTransport/Configuration/connectTimeout``.
    public var connectTimeout: Duration?
    /// Limit for the whole exchange, connection set-up included; nil uses
    /// ``CurlTransport/Configuration/timeout``.
    public var timeout: Duration?
    /// Credentials libcurl applies itself (Basic, AWS SigV4), or nil.
    public var authentication: HTTPAuthentication?
    /// PEM certificates to trust for this server instead of the transport's CA store (a
    /// gateway behind a private CA); nil uses the transport's. Verification stays on.
    public var caCertificates: String?

    /// Creates a request; only the URL is required.
    public init(
        method: HTTPMethod = .get,
        url: String,
        headers: HTTPHeaders = [:],
        body: [UInt8] = [],
        connectTimeout: Duration? = nil,
        timeout: Duration? = nil,
        authentication: HTTPAuthentication? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.authentication = authentication
    }
}
