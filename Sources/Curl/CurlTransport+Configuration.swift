extension CurlTransport {
    /// Settings shared by every request a ``CurlTransport`` sends.
    ///
    /// Proxies: with ``proxy`` left at ``Proxy/environment``, libcurl reads
    /// `http_proxy`, `https_proxy` (or `HTTPS_PROXY`), `all_proxy` and
    /// `no_proxy` for every request, as the `curl` tool does. Upper-case
    /// `HTTP_PROXY` is ignored on purpose (a CGI environment lets clients set
    /// it). The transport never sets `CURLOPT_PROXY` in that mode, because
    /// setting it at all (even to "") switches the environment off, except when
    /// none of those variables is set as the transport starts: then it sets ""
    /// once rather than have libcurl look them up for each request (about a
    /// dozen `getenv` calls). Variables set after that are not seen. SMTP goes
    /// through `all_proxy` only when it names an HTTP proxy that allows
    /// CONNECT to the mail port, which few do; list mail hosts in `no_proxy`.
    public struct Configuration: Sendable, Hashable {
        /// Default limit for DNS plus TCP plus TLS set-up. Default: 5 seconds.
        public var connectTimeout: Duration
        /// Default limit for a whole exchange, including time spent queued for
        /// a free connection. Default: 30 seconds.
        public var timeout: Duration
        /// URL schemes libcurl may use. Default: `["http", "https", "smtp",
        /// "smtps"]`. HTTP requests (and their redirects) only ever use the
        /// http ones and mails only the smtp ones, whatever this set holds;
        /// anything else fails with ``CurlTransportError/Code/protocolNotAllowed``,
        /// so a hostile URL cannot make us read `file://` or speak `gopher://`.
        public var allowedProtocols: Set<String>
        /// A PEM file of CA certificates to trust instead of the system
        /// store. Default: nil (the system store). Verification of the peer
        /// and of its host name is always on.
        public var caFile: String?
        /// How many redirects to follow. Default: 0 — a 3xx is returned as a
        /// response, because gateway APIs do not redirect and following one
        /// silently could re-send a body to another host.
        public var maximumRedirects: Int
        /// Upper limit on simultaneous connections to one host; further
        /// requests queue inside libcurl until a connection is free (HTTP/2
        /// multiplexes many requests on one connection); 0 means no limit.
        /// Default: 32.
        public var maximumConnectionsPerHost: Int
        /// How many idle connections to keep open for reuse, over all hosts.
        /// Default: 256.
        public var maximumIdleConnections: Int
        /// Largest response body accepted before the exchange fails with
        /// ``CurlTransportError/Code/responseTooLarge``. Default: 16 MiB.
        public var maximumResponseBodySize: Int
        /// Which proxy to use. Default: ``Proxy/environment``.
        public var proxy: Proxy

        /// Creates a configuration; every parameter defaults as documented on its property.
        public init(
            connectTimeout: Duration = .seconds(5),
            timeout: Duration = .seconds(30),
            allowedProtocols: Set<String> = ["http", "https", "smtp", "smtps"],
            caFile: String? = nil,
            maximumRedirects: Int = 0,
            maximumConnectionsPerHost: Int = 32,
            maximumIdleConnections: Int = 256,
            maximumResponseBodySize: Int = 16 << 20,
            proxy: Proxy = .environment
        ) {
            self.connectTimeout = connectTimeout
            self.timeout = timeout
            self.allowedProtocols = allowedProtocols
            self.caFile = caFile
            self.maximumRedirects = maximumRedirects
            self.maximumConnectionsPerHost = maximumConnectionsPerHost
            self.maximumIdleConnections = maximumIdleConnections
            self.maximumResponseBodySize = maximumResponseBodySize
            self.proxy = proxy
        }
    }

    /// Where requests go before they reach the server.
    public struct Proxy: Sendable, Hashable {
        enum Base: Sendable, Hashable {
            case environment
            case none
            case url(String)
        }

        let base: Base

        /// Use the proxy named by the environment (`https_proxy` and friends).
        public static let environment = Proxy(base: .environment)
        /// Connect directly, whatever the environment says.
        public static let none = Proxy(base: .none)
        /// Always use this proxy, e.g. `http://proxy.internal:3128`.
        public static func url(_ url: String) -> Proxy { Proxy(base: .url(url)) }
    }
}
