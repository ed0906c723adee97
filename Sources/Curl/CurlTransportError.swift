import CCurl

/// Why ``CurlTransport/send(_:)`` got no HTTP response.
///
/// HTTP statuses are never errors here (see ``HTTPResponse/classification``);
/// this is for exchanges that did not complete. ``code`` is the stable
/// classification to branch on; ``curlCode`` and ``message`` are for logs.
/// ``host`` names the server without the rest of the URL, so the error can be
/// logged without leaking credentials or tokens from the path or query.
public struct CurlTransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of failure, chosen so retry logic can tell transient
    /// network trouble from configuration mistakes.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Base: Sendable, Hashable {
            case dns, connect, tls, timeout, protocolNotAllowed, sendOrReceive
            case responseTooLarge, invalidRequest, rejected, cancelled, shutdown, other
        }

        let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The host name (or proxy name) could not be resolved.
        public static let dns = Code(.dns)
        /// The TCP connection was refused or could not be made.
        public static let connect = Code(.connect)
        /// TLS failed: handshake, certificate verification, CA file.
        public static let tls = Code(.tls)
        /// The connect or total timeout elapsed.
        public static let timeout = Code(.timeout)
        /// The URL's scheme is not in ``CurlTransport/Configuration/allowedProtocols``.
        public static let protocolNotAllowed = Code(.protocolNotAllowed)
        /// The connection broke mid-exchange: reset, closed without a
        /// response, truncated body, HTTP/2 stream error.
        public static let sendOrReceive = Code(.sendOrReceive)
        /// The body exceeded ``CurlTransport/Configuration/maximumResponseBodySize``.
        public static let responseTooLarge = Code(.responseTooLarge)
        /// The request could not be sent as given: malformed URL, or a
        /// method or header containing characters that would corrupt it.
        public static let invalidRequest = Code(.invalidRequest)
        /// A mail server refused a step of the submission (`MAIL FROM`, `RCPT TO`,
        /// `DATA`, `AUTH`) with the reply in ``CurlTransportError/replyCode``:
        /// 4xx is temporary, 5xx permanent.
        public static let rejected = Code(.rejected)
        /// The calling task was cancelled before the response arrived.
        public static let cancelled = Code(.cancelled)
        /// The transport was shut down before the response arrived.
        public static let shutdown = Code(.shutdown)
        /// Any other libcurl failure; see ``CurlTransportError/curlCode``.
        public static let other = Code(.other)

        /// The code's name, e.g. `"dns"`.
        public var description: String {
            switch base {
            case .dns: "dns"
            case .connect: "connect"
            case .tls: "tls"
            case .timeout: "timeout"
            case .protocolNotAllowed: "protocolNotAllowed"
            case .sendOrReceive: "sendOrReceive"
            case .responseTooLarge: "responseTooLarge"
            case .invalidRequest: "invalidRequest"
            case .rejected: "rejected"
            case .cancelled: "cancelled"
            case .shutdown: "shutdown"
            case .other: "other"
            }
        }
    }

    /// The class of failure.
    public var code: Code
    /// libcurl's `CURLcode` number, or nil when the failure did not come from libcurl.
    public var curlCode: Int?
    /// libcurl's error text (`CURLOPT_ERRORBUFFER`, else `curl_easy_strerror`),
    /// or our own explanation.
    public var message: String
    /// The host the request was for, or nil if the URL had none.
    public var host: String?
    /// The mail server's reply code for ``Code/rejected``, e.g. 550; nil otherwise.
    public var replyCode: Int?

    /// Creates an error; the transport does this, tests of callers may too.
    public init(code: Code, curlCode: Int? = nil, message: String, host: String? = nil, replyCode: Int? = nil) {
        self.code = code
        self.curlCode = curlCode
        self.message = message
        self.host = host
        self.replyCode = replyCode
    }

    /// Whether the same request might get through later (dns, connect,
    /// timeout, sendOrReceive, and a mail refusal with a 4xx reply). Whether it is *safe* to resend is another
    /// question: after a timeout or a broken connection the server may
    /// already have acted on it, so non-idempotent requests need an
    /// idempotency key.
    public var isTransient: Bool {
        switch code.base {
        case .dns, .connect, .timeout, .sendOrReceive: true
        case .rejected: (400..<500).contains(replyCode ?? 0)
        default: false
        }
    }

    /// One line for logs, e.g. `timeout (curl 28) for api.example.com: Operation timed out…`.
    public var description: String {
        var text = code.description
        if let curlCode { text += " (curl \(curlCode))" }
        if let replyCode { text += " (reply \(replyCode))" }
        if let host { text += " for \(host)" }
        return text + ": " + message
    }
}

extension CurlTransportError.Code {
    /// The classification of a libcurl result code.
    init(curlCode: CURLcode) {
        switch curlCode {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            self = .dns
        case CURLE_COULDNT_CONNECT:
            self = .connect
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
            CURLE_SSL_CIPHER, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
            CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_SHUTDOWN_FAILED,
            CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT, CURLE_USE_SSL_FAILED:
            self = .tls
        case CURLE_OPERATION_TIMEDOUT:
            self = .timeout
        case CURLE_UNSUPPORTED_PROTOCOL:
            self = .protocolNotAllowed
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE,
            CURLE_HTTP2, CURLE_HTTP2_STREAM:
            self = .sendOrReceive
        case CURLE_URL_MALFORMAT:
            self = .invalidRequest
        default:
            self = .other
        }
    }
}
