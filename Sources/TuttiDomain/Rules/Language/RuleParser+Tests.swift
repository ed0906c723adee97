/// Tests (what follows a subject), durations and literals.
extension RuleParser {
    static let testStarts =
        "a test (=, !=, <, <=, >, >=, in, contains, starts with, exists, missing, within, more than, before, after or anniversary)"

    mutating func parseTest() throws(RuleError) -> TestSyntax {
        let start = current.position
        func test(_ kind: TestSyntax.Kind) -> TestSyntax { TestSyntax(kind: kind, position: start) }
        if case .symbol(let symbol) = current.kind, let comparison = Self.comparison(symbol) {
            advance()
            return test(.compare(comparison, try parseLiteral("a value after `\(comparison.rawValue)`")))
        }
        switch current.keyword {
        case "exists":
            advance()
            return test(.exists)
        case "missing":
            advance()
            return test(.missing)
        case "in":
            advance()
            if current.isSymbol(.leftBracket) { return test(.oneOf(try parseList())) }
            guard case .number = current.kind else {
                throw expected("a list after `in` (in [\"DE\", \"AT\"]) or a number of days (anniversary in 30 days)")
            }
            return test(.anniversaryIn(try parseDuration("a number of days")))
        case "contains":
            advance()
            return test(.contains(try parseLiteral("a value after `contains`")))
        case "starts":
            advance()
            try expectKeyword("with", "`with` after `starts` (starts with \"ann\")")
            return test(.startsWith(try parseLiteral("a string after `starts with`")))
        case "within":
            advance()
            if current.isKeyword("next") {
                advance()
                return test(.withinNext(try parseDuration("a duration after `within next` (within next 7 days)")))
            }
            if current.isKeyword("last") { advance() }
            return test(.withinLast(try parseDuration("a duration after `within` (within 30 days)")))
        case "more":
            advance()
            try expectKeyword("than", "`than` after `more` (more than 2 years ago)")
            let duration = try parseDuration("a duration after `more than` (more than 2 years ago)")
            try expectKeyword("ago", "`ago` after the duration (more than 2 years ago)")
            return test(.moreThanAgo(duration))
        case "before":
            advance()
            return test(.before(try parseLiteral("a date after `before` (before 2024-01-01)")))
        case "after":
            advance()
            return test(.after(try parseLiteral("a date after `after` (after 2024-01-01)")))
        case "is":
            advance()
            try expectKeyword("today", "`today` after `is` (attributes.birthday is today)")
            return test(.anniversaryToday)
        case "anniversary":
            advance()
            return test(try parseAnniversary())
        default:
            throw expected(Self.testStarts)
        }
    }

    /// After `anniversary`: `is today`, `in 30 days`, `within next 7 days`.
    mutating func parseAnniversary() throws(RuleError) -> TestSyntax.Kind {
        switch current.keyword {
        case "is":
            advance()
            try expectKeyword("today", "`today` after `anniversary is`")
            return .anniversaryToday
        case "in":
            advance()
            return .anniversaryIn(try parseDuration("a number of days after `anniversary in` (anniversary in 30 days)"))
        case "within":
            advance()
            try expectKeyword("next", "`next` after `anniversary within` (anniversary within next 7 days)")
            return .anniversaryWithinNext(try parseDuration("a number of days after `anniversary within next`"))
        default:
            throw expected("`is today`, `in N days` or `within next N days` after `anniversary`")
        }
    }

    /// A number and a unit word; both are checked later.
    mutating func parseDuration(_ what: String) throws(RuleError) -> DurationSyntax {
        guard case .number(let value, let text) = current.kind else { throw expected(what) }
        let amount = LiteralSyntax(kind: .number(value, text), position: current.position)
        advance()
        let unit = try parseName("a unit after \(text) (minutes, hours, days, weeks, months or years)")
        return DurationSyntax(amount: amount, unit: unit)
    }

    /// `["DE", "AT"]`.
    mutating func parseList() throws(RuleError) -> [LiteralSyntax] {
        advance()
        var items: [LiteralSyntax] = []
        if current.isSymbol(.rightBracket) {
            advance()
            return items
        }
        items.append(try parseLiteral("a value in the list"))
        while current.isSymbol(.comma) {
            advance()
            items.append(try parseLiteral("a value after `,` in the list"))
        }
        try expectSymbol(.rightBracket, "`,` or `]` to close the list")
        return items
    }

    mutating func parseLiteral(_ what: String) throws(RuleError) -> LiteralSyntax {
        let position = current.position
        let kind: LiteralSyntax.Kind
        switch current.kind {
        case .string(let text): kind = .string(text)
        case .number(let value, let text): kind = .number(value, text)
        case .date(let date): kind = .date(date)
        case .word where current.isKeyword("true"): kind = .bool(true)
        case .word where current.isKeyword("false"): kind = .bool(false)
        case .word where current.isKeyword("null"): kind = .null
        default: throw expected(what)
        }
        advance()
        return LiteralSyntax(kind: kind, position: position)
    }
}
