/// What one submission to the driving thread asks libcurl to do.
enum CurlExchange: Sendable {
    /// An HTTP(S) request, answered with an ``HTTPResponse``.
    case http(HTTPRequest)
    /// An SMTP(S) submission, answered with an ``SMTPReply``.
    case mail(SMTPMessage)

    /// The URL, for error reports (only its host is ever shown).
    var url: String {
        switch self {
        case .http(let request): request.url
        case .mail(let message): message.url
        }
    }

    /// The schemes this kind of exchange may use, whatever else the configuration allows:
    /// an HTTP request must not turn into an SMTP session, nor a mail into an HTTP POST.
    var schemes: Set<String> {
        switch self {
        case .http: ["http", "https"]
        case .mail: ["smtp", "smtps"]
        }
    }
}

extension CurlExchange {
    /// Why the exchange cannot be sent as given, or nil. Checked before libcurl sees it,
    /// because these values end up on protocol command lines where a stray CR or LF would
    /// let the caller's data inject commands or headers.
    var invalidity: String? {
        switch self {
        case .http(let request):
            if let field = request.headers.firstInvalidField {
                return "header field '\(field.name)' is not a valid HTTP field"
            }
            if !request.method.isValidToken {
                return "method '\(request.method)' is not a valid HTTP token"
            }
            return nil
        case .mail(let message):
            if message.recipients.isEmpty { return "a mail needs at least one recipient" }
            for address in [message.from] + message.recipients where !Self.isPlainMailbox(address) {
                return "'\(address)' is not a plain mail address (no spaces, angle brackets or control characters)"
            }
            return nil
        }
    }

    /// An address as it goes between `<` and `>` in `MAIL FROM` and `RCPT TO`.
    private static func isPlainMailbox(_ address: String) -> Bool {
        !address.isEmpty && address.utf8.allSatisfy { $0 > 0x20 && $0 != 0x7f && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") }
    }
}
