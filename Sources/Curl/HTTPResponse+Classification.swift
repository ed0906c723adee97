extension HTTPResponse {
    /// What a status code means for a caller deciding whether to try again.
    public enum StatusClassification: Sendable, Hashable {
        /// 2xx: the request did what it was meant to.
        case success
        /// 429 or 5xx: the server is overloaded or failing; the same request
        /// may succeed later (honour ``HTTPResponse/retryAfter(now:)``).
        case retryable
        /// Anything else (4xx other than 429, unfollowed 3xx, stray 1xx):
        /// sending the same request again will fail the same way.
        case permanent
    }

    /// The retry meaning of ``status``.
    public var classification: StatusClassification {
        Self.classify(status: status)
    }

    /// The retry meaning of a status code.
    public static func classify(status: Int) -> StatusClassification {
        switch status {
        case 200..<300: .success
        case 429, 500..<600: .retryable
        default: .permanent
        }
    }
}
