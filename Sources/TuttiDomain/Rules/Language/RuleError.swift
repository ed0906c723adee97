/// Where in a rule's text something is: 1-based line and column, columns counted in Unicode
/// scalars (what a person counts, and what editors show for text without combining marks).
public struct SourcePosition: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// One thing wrong with a rule, and where: a position in the text, or a JSON path in the JSON
/// form (`$.all._0[1].attribute._0.path`).
public struct RuleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where an error is.
    public enum Location: Sendable, Hashable {
        case text(SourcePosition)
        case json(path: String)
    }

    public var location: Location
    /// What was expected and what was found, for a person.
    public var message: String

    public init(_ message: String, at position: SourcePosition) {
        self.location = .text(position)
        self.message = message
    }

    public init(_ message: String, jsonPath: String) {
        self.location = .json(path: jsonPath)
        self.message = message
    }

    /// The 1-based line, for an error in text.
    public var line: Int? {
        if case .text(let position) = location { return position.line }
        return nil
    }

    /// The 1-based column, for an error in text.
    public var column: Int? {
        if case .text(let position) = location { return position.column }
        return nil
    }

    /// The JSON path, for an error in the JSON form.
    public var jsonPath: String? {
        if case .json(let path) = location { return path }
        return nil
    }

    public var description: String {
        switch location {
        case .text(let position): "\(position): \(message)"
        case .json(let path): "\(path): \(message)"
        }
    }
}

/// Everything wrong with a rule, in order of position: never empty. Parsing stops at the first
/// syntax error; the type checker reports every error it finds in a rule that parsed.
public struct RuleErrors: Error, Sendable, Hashable, CustomStringConvertible {
    public var errors: [RuleError]

    public init(_ errors: [RuleError]) {
        precondition(!errors.isEmpty, "RuleErrors needs at least one error")
        self.errors = errors
    }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
