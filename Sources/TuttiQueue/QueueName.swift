import TuttiDomain

/// The name of a queue: a stable string naming a kind of work ("delivery", "webhook.retry").
/// Workers claim from one queue at a time, so jobs that need different workers go to
/// different queues.
///
/// Lowercase letters, digits, `_`, `.` and `-`, starting with a letter, at most 63 characters
/// (the database checks the same rule).
public struct QueueName: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    /// Validates `rawValue`; the error names the rule it breaks.
    public init(_ rawValue: String) throws(ValidationError) {
        guard let first = rawValue.unicodeScalars.first, ("a"..."z").contains(first) else {
            throw ValidationError(field: "queue", message: "must start with a lowercase letter")
        }
        guard rawValue.unicodeScalars.count <= 63 else {
            throw ValidationError(field: "queue", message: "must be at most 63 characters long")
        }
        guard rawValue.unicodeScalars.allSatisfy(Self.allowed) else {
            throw ValidationError(field: "queue", message: "may contain only a-z, 0-9, '_', '.' and '-'")
        }
        self.rawValue = rawValue
    }

    /// For names written in code; an invalid literal is a programming error.
    public init(stringLiteral value: String) {
        do {
            try self.init(value)
        } catch {
            preconditionFailure("invalid queue name literal \"\(value)\": \(error)")
        }
    }

    public var description: String { rawValue }

    private static func allowed(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "." || scalar == "-"
    }
}
