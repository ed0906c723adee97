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
    ///
    /// Parsed when first asked for rather than when the response arrives: most callers of a
    /// busy transport look at the status only (a 2xx from a webhook), and parsing every
    /// block cost about 2 µs per request (measured in the delivery worker's profile).
    public var headers: HTTPHeaders {
        get {
            switch headerStorage {
            case .parsed(let headers): headers
            case .raw(let block): HTTPHeaders(parsingHeaderBlock: block)
            }
        }
        set { headerStorage = .parsed(newValue) }
    }
    /// The response body exactly as received; content encodings are not
    /// undone because no `Accept-Encoding` is sent unless the caller asks.
    public var body: [UInt8]
    /// Where the time went, as measured by libcurl.
    public var timing: Timing
    /// How many new connections the exchange opened; 0 means it reused a
    /// kept-alive connection.
    public var newConnections: Int

    /// The header fields as given, or the raw block libcurl collected.
    private var headerStorage: HeaderStorage

    private enum HeaderStorage: Sendable {
        case parsed(HTTPHeaders)
        case raw([UInt8])
    }

    /// Creates a response; the transport does this, tests may too.
    public init(
        status: Int,
        headers: HTTPHeaders = [:],
        body: [UInt8] = [],
        timing: Timing = Timing(),
        newConnections: Int = 0
    ) {
        self.status = status
        headerStorage = .parsed(headers)
        self.body = body
        self.timing = timing
        self.newConnections = newConnections
    }

    /// A response whose header block is parsed only when ``headers`` is read.
    init(status: Int, headerBlock: [UInt8], body: [UInt8], timing: Timing, newConnections: Int) {
        self.status = status
        headerStorage = .raw(headerBlock)
        self.body = body
        self.timing = timing
        self.newConnections = newConnections
    }

    public static func == (lhs: HTTPResponse, rhs: HTTPResponse) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body && lhs.timing == rhs.timing
            && lhs.newConnections == rhs.newConnections && lhs.headers == rhs.headers
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(status)
        hasher.combine(headers)
        hasher.combine(body)
        hasher.combine(timing)
        hasher.combine(newConnections)
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
