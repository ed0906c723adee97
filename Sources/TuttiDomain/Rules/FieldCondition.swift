/// A test of the JSON value found at a path: `attributes.address.city = "Berlin"`, or inside an
/// event aggregate's filter, `total > 50` on the event's properties.
public struct FieldCondition: Sendable, Hashable, Codable {
    /// Object keys from the root (`["address", "city"]`); never empty.
    public var path: [String]
    public var test: FieldTest

    public init(path: [String], test: FieldTest) {
        self.path = path
        self.test = test
    }
}

/// What is asked of one value. Each test reads the value as one JSON type (or as a time, see
/// ``RuleTime``); a value that is missing, null or of another type fails every test except
/// ``missing``.
///
/// Settled readings (``RuleEvaluator`` and the SQL compiler alike): a JSON number is a number
/// when it is 0 or its magnitude lies within 1e-300…1e300; a test with a string literal holding
/// U+0000, a NaN number literal, or `<`/`<=`/`>`/`>=` with a boolean is false; path keys match
/// byte for byte; a path only walks objects (`tags.0` is not an array index).
public enum FieldTest: Sendable, Hashable, Codable {
    /// Present and not null.
    case exists
    /// Absent or null.
    case missing
    /// `=`, `!=`, `<`, `<=`, `>`, `>=` against a scalar. The literal's type picks the reading of
    /// the value: a string literal compares JSON strings by Unicode code point (byte order of
    /// UTF-8, as PostgreSQL's "C" collation), a number literal JSON numbers, a boolean literal
    /// JSON booleans (`=` and `!=` only), a time literal the value read as a time. `!=` is
    /// false for a missing value, like every other test.
    case compare(ComparisonOperator, RuleLiteral)
    /// `in ["DE", "AT"]`: equal (as `=`) to one of the literals.
    case oneOf([RuleLiteral])
    /// `contains "vip"`: a JSON array with an element equal (as `=`) to the literal, or, for a
    /// string literal, also a JSON string containing it as a substring.
    case contains(RuleLiteral)
    /// `starts with "+49"`: a JSON string with that prefix (code point wise).
    case startsWith(String)
    /// Relative time and date bounds on a value read as a time.
    case time(TimeTest)
    /// Anniversaries of a value read as a calendar date, on the customer's own calendar
    /// (their `time_zone` attribute, else UTC).
    case anniversary(AnniversaryTest)
}

/// The six comparison operators.
public enum ComparisonOperator: String, Sendable, Hashable, Codable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
}

/// A literal in a rule. Times are instants; a date literal (`2024-01-01`) is midnight UTC.
public enum RuleLiteral: Sendable, Hashable, Codable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case time(RuleTime)
}
