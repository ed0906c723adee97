/// A value with the position of its first character in the rule's text.
public struct Located<Value: Sendable & Hashable>: Sendable, Hashable {
    public var value: Value
    public var position: SourcePosition

    public init(_ value: Value, at position: SourcePosition) {
        self.value = value
        self.position = position
    }
}

/// A rule as written: the parser's output, every node positioned, nothing yet checked (names of
/// channels, statuses, functions and units are kept as written so that the checker can report
/// every mistake at once). ``RuleChecker`` turns it into a ``RuleExpression``.
public struct RuleSyntax: Sendable, Hashable {
    public var position: SourcePosition
    public var kind: Kind

    public init(_ kind: Kind, at position: SourcePosition) {
        self.kind = kind
        self.position = position
    }

    /// The shapes of a rule node.
    public indirect enum Kind: Sendable, Hashable {
        case and([RuleSyntax])
        case or([RuleSyntax])
        case not(RuleSyntax)
        /// `true` or `false`.
        case constant(Bool)
        /// A subject and a test: `attributes.age >= 18`, `count("Order Completed") > 2`.
        case condition(SubjectSyntax, TestSyntax)
        /// `can receive email`.
        case canReceive(Located<String>)
        /// `consent email "newsletter" is opted_in`.
        case consent(channel: Located<String>, topic: Located<String>?, status: Located<String>)
        /// `in segment "vip"`.
        case inSegment(Located<String>)
    }
}

/// What a condition tests.
public enum SubjectSyntax: Sendable, Hashable {
    /// `attributes.address.city`: the keys after `attributes.`.
    case attribute([Located<String>])
    /// `value.rfm.recency`: the names after `value.`.
    case value([Located<String>])
    /// `context.cart_total`: the keys after `context.` (a real-time decision's context).
    case context([Located<String>])
    /// `event.properties.cart_id`: the keys after `event.` (the event that fires a trigger).
    case event([Located<String>])
    case aggregate(AggregateSyntax)
}

/// `sum("Order Completed".total where currency = "EUR", last 90 days)`.
public struct AggregateSyntax: Sendable, Hashable {
    public var function: Located<String>
    public var event: Located<String>
    /// The property after the event name (`.total`); empty when none was written.
    public var property: [Located<String>]
    public var filters: [FilterSyntax]
    public var window: WindowSyntax?
}

/// One `where` condition on an event's properties.
public struct FilterSyntax: Sendable, Hashable {
    public var path: [Located<String>]
    public var test: TestSyntax
}

/// `last 90 days`, `since 2024-01-01`, `between 2024-01-01 and 2024-07-01`.
public struct WindowSyntax: Sendable, Hashable {
    /// The window's shapes.
    public enum Kind: Sendable, Hashable {
        case last(DurationSyntax)
        case since(LiteralSyntax)
        case between(LiteralSyntax, LiteralSyntax)
    }

    public var kind: Kind
    public var position: SourcePosition
}

/// The test part of a condition, positioned at its first word or operator.
public struct TestSyntax: Sendable, Hashable {
    /// The tests as written.
    public enum Kind: Sendable, Hashable {
        case exists
        case missing
        case compare(ComparisonOperator, LiteralSyntax)
        case oneOf([LiteralSyntax])
        case contains(LiteralSyntax)
        case startsWith(LiteralSyntax)
        case withinLast(DurationSyntax)
        case withinNext(DurationSyntax)
        case moreThanAgo(DurationSyntax)
        case before(LiteralSyntax)
        case after(LiteralSyntax)
        case anniversaryToday
        case anniversaryIn(DurationSyntax)
        case anniversaryWithinNext(DurationSyntax)
    }

    public var kind: Kind
    public var position: SourcePosition
}

/// `30 days`: a number and a unit word, both unchecked.
public struct DurationSyntax: Sendable, Hashable {
    public var amount: LiteralSyntax
    public var unit: Located<String>
}

/// A literal as written. Dates keep their fields unchecked so that `2023-02-30` parses and
/// the checker can say what is wrong with it.
public struct LiteralSyntax: Sendable, Hashable {
    /// The literal's shapes.
    public enum Kind: Sendable, Hashable {
        case string(String)
        /// The number and its text (for messages).
        case number(Double, String)
        case bool(Bool)
        case date(DateLiteral)
        /// `null`: parsed so that the checker can point to `missing`.
        case null
    }

    public var kind: Kind
    public var position: SourcePosition
}

/// The fields of a date or date-time literal, as written.
public struct DateLiteral: Sendable, Hashable {
    public var year: Int
    public var month: Int
    public var day: Int
    /// Hour, minute, second, milliseconds and the offset from UTC in minutes, for a date-time.
    public var time: Time?
    public var text: String

    /// The time of day and offset of a date-time literal.
    public struct Time: Sendable, Hashable {
        public var hour: Int
        public var minute: Int
        public var second: Int
        public var millisecond: Int
        public var offsetMinutes: Int
    }
}
