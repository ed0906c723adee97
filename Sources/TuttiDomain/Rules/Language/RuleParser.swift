/// Parses a rule's text into a positioned ``RuleSyntax``; stops at the first syntax error.
///
/// `or` binds loosest, then `and`, then `not`; parentheses group. Chains of `and` and `or` are
/// parsed in loops, and parentheses and `not` may nest at most ``maximumDepth`` deep, so no
/// input, however long, can exhaust the stack; the work is linear in the text's length.
public struct RuleParser {
    /// How deep parentheses and `not` may nest.
    public static let maximumDepth = 64

    var tokens: [RuleToken]
    var index = 0
    var depth = 0

    init(_ text: String) {
        tokens = RuleLexer.tokens(text)
    }

    /// The syntax tree of `text`, or its first syntax error.
    public static func parse(_ text: String) throws(RuleErrors) -> RuleSyntax {
        var parser = RuleParser(text)
        do throws(RuleError) {
            return try parser.parseRule()
        } catch {
            throw RuleErrors([error])
        }
    }

    mutating func parseRule() throws(RuleError) -> RuleSyntax {
        if case .end = current.kind {
            throw RuleError("expected a condition but the rule is empty (write `true` to match everyone)", at: current.position)
        }
        let rule = try parseOr()
        guard case .end = current.kind else {
            if current.isSymbol(.rightParen) {
                throw RuleError("found `)` without a matching `(`", at: current.position)
            }
            throw expected("`and`, `or` or the end of the rule")
        }
        return rule
    }

    // MARK: Token access

    var current: RuleToken { tokens[min(index, tokens.count - 1)] }

    func peek(_ offset: Int) -> RuleToken { tokens[min(index + offset, tokens.count - 1)] }

    mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
    }

    /// An error at the current token: "expected X but found Y". An unreadable token speaks
    /// for itself.
    func expected(_ what: String) -> RuleError {
        if case .invalid(let problem) = current.kind {
            return RuleError("expected \(what) but found \(problem)", at: current.position)
        }
        return RuleError("expected \(what) but found \(current.described)", at: current.position)
    }

    mutating func expectKeyword(_ keyword: String, _ what: String? = nil) throws(RuleError) {
        guard current.isKeyword(keyword) else { throw expected(what ?? "`\(keyword)`") }
        advance()
    }

    mutating func expectSymbol(_ symbol: RuleToken.Symbol, _ what: String) throws(RuleError) {
        guard current.isSymbol(symbol) else { throw expected(what) }
        advance()
    }

    // MARK: Boolean structure

    mutating func parseOr() throws(RuleError) -> RuleSyntax {
        let first = try parseAnd()
        guard current.isKeyword("or") else { return first }
        var members = [first]
        while current.isKeyword("or") {
            advance()
            members.append(try parseAnd())
        }
        return RuleSyntax(.or(members), at: first.position)
    }

    mutating func parseAnd() throws(RuleError) -> RuleSyntax {
        let first = try parseUnary()
        guard current.isKeyword("and") else { return first }
        var members = [first]
        while current.isKeyword("and") {
            advance()
            members.append(try parseUnary())
        }
        return RuleSyntax(.and(members), at: first.position)
    }

    /// `not` … `not` primary, without recursion for the chain of `not`s.
    mutating func parseUnary() throws(RuleError) -> RuleSyntax {
        var nots: [SourcePosition] = []
        while current.isKeyword("not") {
            nots.append(current.position)
            try enter()
            advance()
        }
        var node = try parsePrimary()
        for position in nots.reversed() {
            node = RuleSyntax(.not(node), at: position)
            depth -= 1
        }
        return node
    }

    mutating func enter() throws(RuleError) {
        depth += 1
        guard depth <= Self.maximumDepth else {
            throw RuleError("the rule nests parentheses and `not` more than \(Self.maximumDepth) deep; simplify it", at: current.position)
        }
    }

    mutating func parsePrimary() throws(RuleError) -> RuleSyntax {
        let start = current.position
        if current.isSymbol(.leftParen) {
            try enter()
            advance()
            var inner = try parseOr()
            guard current.isSymbol(.rightParen) else {
                throw expected("`)` to close the `(` at line \(start.line), column \(start.column)")
            }
            advance()
            depth -= 1
            // The group's position is its `(`, where a person would look for it.
            inner.position = start
            return inner
        }
        if current.isKeyword("true") || current.isKeyword("false") {
            let value = current.isKeyword("true")
            advance()
            return RuleSyntax(.constant(value), at: start)
        }
        return try parseCondition()
    }
}
