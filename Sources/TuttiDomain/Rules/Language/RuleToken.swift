/// One token of a rule's text.
struct RuleToken: Sendable {
    enum Kind: Sendable, Equatable {
        /// A name or keyword (keywords are matched case-insensitively by the parser).
        case word(String)
        case string(String)
        case number(Double, String)
        case date(DateLiteral)
        case symbol(Symbol)
        /// Text the lexer cannot read; the message says why. Lexing stops after it.
        case invalid(String)
        case end
    }

    /// Punctuation and operators.
    enum Symbol: String, Sendable {
        case dot = ".", comma = ",", leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]"
        case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    }

    var kind: Kind
    var position: SourcePosition

    /// How the token reads in a message: "found `and`", "found end of rule".
    var described: String {
        switch kind {
        case .word(let word): "`\(word.prefix(40))`"
        case .string(let text): "the string \(RulePrinter.quoted(String(text.prefix(40))))"
        case .number(_, let text): "the number \(text.prefix(40))"
        case .date(let date): "the date \(date.text)"
        case .symbol(let symbol): "`\(symbol.rawValue)`"
        case .invalid(let message): message
        case .end: "end of rule"
        }
    }

    /// The word, lower-cased, when the token is a word.
    var keyword: String? {
        if case .word(let word) = kind { return word.lowercased() }
        return nil
    }

    func isKeyword(_ keyword: String) -> Bool {
        if case .word(let word) = kind { return word.count == keyword.count && word.lowercased() == keyword }
        return false
    }

    func isSymbol(_ symbol: Symbol) -> Bool {
        kind == .symbol(symbol)
    }
}
