import Curl
import Foundation
import TuttiDomain

extension DeliveryOutcome {
    /// The outcome of an exchange that got no answer.
    ///
    /// Network trouble and a mail server's 4xx are worth another attempt; so is a TLS
    /// failure, because a certificate is fixed by the gateway's operator, not by changing
    /// the message, and the queue's attempt limit bounds the wait. A URL we may not use,
    /// a request we cannot send, or a 5xx mail refusal will fail the same way every time.
    public init(_ error: CurlTransportError) {
        let reason = error.description
        switch error.code {
        case .protocolNotAllowed, .invalidRequest, .responseTooLarge:
            self = .failed(reason: reason)
        case .rejected:
            self = error.isTransient ? .retryLater(after: nil, reason: reason) : .failed(reason: reason)
        default:
            self = .retryLater(after: nil, reason: reason)
        }
    }

    /// The outcome of a non-2xx answer: 408, 429 and 5xx are retried (after the gateway's
    /// `Retry-After` when it sends one); every other status is the gateway refusing this
    /// message or these credentials, which another attempt will not change.
    static func refusal(_ response: HTTPResponse, gateway: String, now: Date = Date()) -> DeliveryOutcome {
        let reason = "\(gateway) answered \(response.status)" + excerpt(response.body)
        switch response.status {
        case 408, 429, 500..<600:
            return .retryLater(after: response.retryAfter(now: now), reason: reason)
        default:
            return .failed(reason: reason)
        }
    }

    /// The start of a response body for a reason: gateways explain refusals there, and
    /// none echoes credentials back. Control characters become spaces so the reason stays
    /// one line in logs.
    static func excerpt(_ body: [UInt8], limit: Int = 300) -> String {
        guard !body.isEmpty else { return "" }
        let text = String(decoding: body.prefix(limit), as: UTF8.self)
            .map { $0.isNewline || ($0.asciiValue.map { $0 < 0x20 } ?? false) ? " " : String($0) }
            .joined()
        return ": " + text + (body.count > limit ? "…" : "")
    }
}
