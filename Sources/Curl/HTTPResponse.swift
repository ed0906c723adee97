/// The answer to an ``HTTPRequest``, whatever its status.
///
/// A 404 or a 503 is still a response: the transport only fails when no
/// HTTP answer arrived. Use ``classification`` and ``retryAfter(now:)`` to
/// decide what to do with a non-2xx status.
public struct HTTPResponse: Sendable, Hashable {
    /// The status code of the final response, e.g. 200.
    public var status: Int
    /// The header fields of the final response (interim `100 Continue`
    /// headers are dropped), names lower-cased.
    public var headers: HTTPHeaders
    /// The response body exactly as received; content encodings are not
    /// undone because no `Accept-Encoding` is sent unless the caller asks.
    public var body: [UInt8]
    /// Where the time went, as measured by libcurl.
    public var timing: Timing
    /// How many new connections the exchange opened; 0 means it reused a
    /// kept-alive connection.
    public var newConnections: Int

    /// Creates a response; the transport does this, tests may too.
    public init(
        status: Int,
        headers: HTTPHeaders = [:],
        body: [UInt8] = [],
        timing: Timing = Timing(),
        newConnections: Int = 0
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.timing = timing
        self.newConnections = newConnections
    }
}

extension HTTPResponse {
    /// Milestones of one exchange, each measured from its start (libcurl's
    /// `CURLINFO_*_TIME_T`), so they grow in the order listed. A milestone
    /// that did not happen (no TLS, a reused connection) is zero.
    public struct Timing: Sendable, Hashable {
        /// Name resolution finished.
        public var nameLookup: Duration
        /// TCP connection established.
        public var connect: Duration
        /// TLS handshake finished.
        public var tlsHandshake: Duration
        /// First response byte received.
        public var firstByte: Duration
        /// Exchange complete.
        public var total: Duration

        /// Creates a timing record; all zero by default.
        public init(
            nameLookup: Duration = .zero,
            connect: Duration = .zero,
            tlsHandshake: Duration = .zero,
            firstByte: Duration = .zero,
            total: Duration = .zero
        ) {
            self.nameLookup = nameLookup
            self.connect = connect
            self.tlsHandshake = tlsHandshake
            self.firstByte = firstByte
            self.total = total
        }
    }
}
