import Foundation

extension HTTPResponse {
    /// How long the server asked us to wait before retrying, from its
    /// `Retry-After` header (delta-seconds or an HTTP-date), or nil when the
    /// header is absent or unreadable.
    ///
    /// A date in the past gives `.zero`, never a negative wait. `now` is a
    /// parameter so tests and callers with their own clock get repeatable
    /// answers.
    public func retryAfter(now: Date = Date()) -> Duration? {
        guard let value = headers["retry-after"] else { return nil }
        return Self.parseRetryAfter(value, now: now)
    }

    /// Parses a `Retry-After` value; see ``retryAfter(now:)``.
    public static func parseRetryAfter(_ value: String, now: Date) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            // Absurdly long digit strings overflow Int; cap rather than fail,
            // since "very long" is what the server meant.
            return .seconds(Int(trimmed) ?? Int(Int32.max))
        }
        guard let date = HTTPDate.secondsSince1970(trimmed) else { return nil }
        let delay = Double(date) - now.timeIntervalSince1970
        return delay > 0 ? .milliseconds(Int64((delay * 1000).rounded(.up))) : .zero
    }
}
