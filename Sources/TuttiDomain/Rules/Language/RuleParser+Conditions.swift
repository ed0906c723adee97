/// Conditions: what comes first names the subject, what follows the test.
extension RuleParser {
    static let conditionStarts =
        "a condition (attributes.…, value.…, context.…, event.…, an aggregate such as count(…), can receive …, consent …, in segment \"…\", not, true, false or `(`)"

    mutating func parseCondition() throws(RuleError) -> RuleSyntax {
        let start = current.position
        switch current.keyword {
        case "attributes" where peek(1).isSymbol(.dot):
            advance()
            let path = try parseDottedPath(after: "attributes")
            return RuleSyntax(.condition(.attribute(path), try parseTest()), at: start)
        case "value" where peek(1).isSymbol(.dot):
            advance()
            let path = try parseDottedPath(after: "value")
            return RuleSyntax(.condition(.value(path), try parseTest()), at: start)
        case "context" where peek(1).isSymbol(.dot):
            advance()
            let path = try parseDottedPath(after: "context")
            return RuleSyntax(.condition(.context(path), try parseTest()), at: start)
        case "event" where peek(1).isSymbol(.dot):
            advance()
            let path = try parseDottedPath(after: "event")
            return RuleSyntax(.condition(.event(path), try parseTest()), at: start)
        case "can":
            advance()
            try expectKeyword("receive", "`receive` after `can` (can receive email)")
            return RuleSyntax(.canReceive(try parseName("a channel (email, sms, push, social or phone)")), at: start)
        case "consent":
            advance()
            let channel = try parseName("a consent channel (email, sms, push, social, phone, mail or web)")
            var topic: Located<String>?
            if case .string(let text) = current.kind {
                topic = Located(text, at: current.position)
                advance()
            }
            try expectKeyword("is", "`is` and a status (consent email is opted_in)")
            let status = try parseName("a consent status (opted_in, opted_out, unknown or pending)")
            return RuleSyntax(.consent(channel: channel, topic: topic, status: status), at: start)
        case "in" where peek(1).isKeyword("segment"):
            advance()
            advance()
            guard case .string(let name) = current.kind else { throw expected("a segment name in double quotes (in segment \"vip\")") }
            let located = Located(name, at: current.position)
            advance()
            return RuleSyntax(.inSegment(located), at: start)
        case .some(let word) where peek(1).isSymbol(.leftParen):
            let aggregate = try parseAggregate(function: Located(word, at: start))
            return RuleSyntax(.condition(.aggregate(aggregate), try parseTest()), at: start)
        case .some(let word) where word == "attributes" || word == "value" || word == "context" || word == "event":
            advance()
            throw expected("`.` and a name after `\(word)`")
        case .some(let word) where !Self.keywords.contains(word):
            if peek(1).isSymbol(.dot) || Self.startsTest(peek(1)) {
                throw RuleError(
                    "expected \(Self.conditionStarts) but found `\(word)`; a customer attribute is written attributes.\(word)",
                    at: start)
            }
            throw expected(Self.conditionStarts)
        default:
            throw expected(Self.conditionStarts)
        }
    }

    /// Words with a meaning of their own in the grammar.
    static let keywords: Set<String> = [
        "and", "or", "not", "true", "false", "null", "in", "is", "can", "receive", "consent", "segment", "where", "exists", "missing",
        "contains", "starts", "with", "within", "last", "next", "more", "than", "ago", "before", "after", "since", "between",
        "anniversary", "today",
    ]

    static func startsTest(_ token: RuleToken) -> Bool {
        if case .symbol(let symbol) = token.kind { return Self.comparison(symbol) != nil }
        guard let word = token.keyword else { return false }
        return ["in", "contains", "starts", "exists", "missing", "within", "more", "before", "after", "anniversary", "is"].contains(word)
    }

    static func comparison(_ symbol: RuleToken.Symbol) -> ComparisonOperator? {
        switch symbol {
        case .equal: .equal
        case .notEqual: .notEqual
        case .less: .less
        case .lessOrEqual: .lessOrEqual
        case .greater: .greater
        case .greaterOrEqual: .greaterOrEqual
        default: nil
        }
    }

    /// `.name` `.name` …, the current token being the first `.`.
    mutating func parseDottedPath(after prefix: String) throws(RuleError) -> [Located<String>] {
        var path: [Located<String>] = []
        while current.isSymbol(.dot) {
            advance()
            path.append(try parsePathName("a name after `.` (\(prefix).country or \(prefix).\"first name\")"))
        }
        return path
    }

    /// A name in a path: a word, or a double-quoted string for any other key.
    mutating func parsePathName(_ what: String) throws(RuleError) -> Located<String> {
        switch current.kind {
        case .word(let word), .string(let word):
            defer { advance() }
            return Located(word, at: current.position)
        default:
            throw expected(what)
        }
    }

    mutating func parseName(_ what: String) throws(RuleError) -> Located<String> {
        guard case .word(let word) = current.kind else { throw expected(what) }
        defer { advance() }
        return Located(word, at: current.position)
    }

    /// `count("Order Completed" where total > 50, last 90 days)`, the current token being the
    /// function's name.
    mutating func parseAggregate(function: Located<String>) throws(RuleError) -> AggregateSyntax {
        advance()
        advance()
        guard case .string(let event) = current.kind else {
            throw expected("an event name in double quotes after `\(function.value)(` (\(function.value)(\"Order Completed\"))")
        }
        var aggregate = AggregateSyntax(function: function, event: Located(event, at: current.position), property: [], filters: [], window: nil)
        advance()
        if current.isSymbol(.dot) {
            aggregate.property = try parseDottedPath(after: RulePrinter.quoted(event))
        }
        if current.isKeyword("where") {
            advance()
            let path = try parseFilterPath()
            aggregate.filters.append(FilterSyntax(path: path, test: try parseTest()))
            while current.isKeyword("and") {
                advance()
                let path = try parseFilterPath()
                aggregate.filters.append(FilterSyntax(path: path, test: try parseTest()))
            }
            if current.isKeyword("or") || current.isKeyword("not") {
                throw RuleError("event filters can only be joined with `and` (found `\(current.keyword ?? "")`)", at: current.position)
            }
        }
        if current.isSymbol(.comma) {
            advance()
            aggregate.window = try parseWindow()
        }
        try expectSymbol(.rightParen, aggregate.window == nil
            ? "`where`, `,` and a window (last 90 days), or `)` to close \(function.value)("
            : "`)` to close \(function.value)(")
        return aggregate
    }

    /// An event property path in a filter: `total`, `product.category`, `"line items"`.
    mutating func parseFilterPath() throws(RuleError) -> [Located<String>] {
        var path = [try parsePathName("an event property after `where` (where total > 50)")]
        while current.isSymbol(.dot) {
            advance()
            path.append(try parsePathName("a property name after `.`"))
        }
        return path
    }

    mutating func parseWindow() throws(RuleError) -> WindowSyntax {
        let start = current.position
        switch current.keyword {
        case "last":
            advance()
            return WindowSyntax(kind: .last(try parseDuration("a duration after `last` (last 90 days)")), position: start)
        case "since":
            advance()
            return WindowSyntax(kind: .since(try parseLiteral("a date after `since` (since 2024-01-01)")), position: start)
        case "between":
            advance()
            let from = try parseLiteral("a date after `between` (between 2024-01-01 and 2024-07-01)")
            try expectKeyword("and", "`and` and the end date (between 2024-01-01 and 2024-07-01)")
            let to = try parseLiteral("the end date after `and`")
            return WindowSyntax(kind: .between(from, to), position: start)
        default:
            throw expected("a window (last 90 days, since 2024-01-01 or between 2024-01-01 and 2024-07-01)")
        }
    }
}
