/// What a connector reports about one attempt: the ``DeliveryOutcome`` the queue acts on, and
/// what the gateway said on the wire, kept for the message's attempt log.
///
/// The status lives beside the outcome rather than inside its cases so that code deciding
/// what to do next (complete, retry, dead-letter) keeps matching on three plain cases.
public struct DeliveryReport: Sendable, Hashable {
    public var outcome: DeliveryOutcome
    /// The gateway's HTTP status when it answered over HTTP; nil when no answer came (a
    /// timeout, a reset, a TLS failure), when the request was never sent, and for SMTP, whose
    /// reply codes are not HTTP statuses (the reason quotes them).
    public var httpStatus: Int?

    public init(_ outcome: DeliveryOutcome, httpStatus: Int? = nil) {
        self.outcome = outcome
        self.httpStatus = httpStatus
    }

    /// The outcome's reason, or nil when accepted.
    public var reason: String? { outcome.reason }
}
