/// Splits a rule's text into tokens, in one pass over its UTF-8 bytes.
///
/// Whitespace and comments (`#` or `--` to the end of the line) separate tokens. Strings are
/// double-quoted with JSON's escapes and end on the line they start. Numbers are JSON numbers
/// (a leading `-`, a fraction, an exponent). `2024-01-01` and `2024-01-01T10:00:00Z` are date
/// tokens; their fields are checked later. After a `.`, a name may start with a digit
/// (`attributes.2fa_enabled`). The first unreadable character ends the token list with an
/// ``RuleToken/Kind/invalid(_:)`` token.
struct RuleLexer {
    let bytes: [UInt8]
    var index = 0
    var line = 1
    var column = 1

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// Every token, ending with `.end` or `.invalid`.
    static func tokens(_ text: String) -> [RuleToken] {
        var lexer = RuleLexer(text)
        var tokens: [RuleToken] = []
        while true {
            let token = lexer.next(afterDot: tokens.last?.isSymbol(.dot) ?? false)
            tokens.append(token)
            switch token.kind {
            case .end, .invalid: return tokens
            default: continue
            }
        }
    }

    var position: SourcePosition { SourcePosition(line: line, column: column) }

    func peek(_ offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    mutating func advance() {
        guard index < bytes.count else { return }
        if bytes[index] == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if bytes[index] & 0xC0 != 0x80 {
            column += 1
        }
        index += 1
        // A continuation byte belongs to the scalar already counted.
        while index < bytes.count, bytes[index] & 0xC0 == 0x80 { index += 1 }
    }

    mutating func skipTrivia() {
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                advance()
            case UInt8(ascii: "#"):
                skipLine()
            case UInt8(ascii: "-") where peek(1) == UInt8(ascii: "-"):
                skipLine()
            default:
                return
            }
        }
    }

    mutating func skipLine() {
        while let byte = peek(), byte != UInt8(ascii: "\n") { advance() }
    }

    mutating func next(afterDot: Bool) -> RuleToken {
        skipTrivia()
        let start = position
        guard let byte = peek() else { return RuleToken(kind: .end, position: start) }
        if afterDot, Self.isNameByte(byte) {
            return RuleToken(kind: .word(takeWhile(Self.isNameByte)), position: start)
        }
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
            return RuleToken(kind: .word(takeWhile(Self.isNameByte)), position: start)
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            if let date = dateIfAny(start: start) { return date }
            return number(start: start)
        case UInt8(ascii: "-") where peek(1).map(Self.isDigit) == true:
            return number(start: start)
        case UInt8(ascii: "\""):
            return string(start: start)
        default:
            return symbol(start: start)
        }
    }

    mutating func symbol(start: SourcePosition) -> RuleToken {
        let first = peek() ?? 0, second = peek(1)
        let twoByte: RuleToken.Symbol?
        switch (first, second) {
        case (UInt8(ascii: "!"), UInt8(ascii: "=")), (UInt8(ascii: "<"), UInt8(ascii: ">")): twoByte = .notEqual
        case (UInt8(ascii: "<"), UInt8(ascii: "=")): twoByte = .lessOrEqual
        case (UInt8(ascii: ">"), UInt8(ascii: "=")): twoByte = .greaterOrEqual
        case (UInt8(ascii: "="), UInt8(ascii: "=")): twoByte = .equal
        default: twoByte = nil
        }
        if let twoByte {
            advance()
            advance()
            return RuleToken(kind: .symbol(twoByte), position: start)
        }
        let oneByte: RuleToken.Symbol? = switch first {
        case UInt8(ascii: "."): .dot
        case UInt8(ascii: ","): .comma
        case UInt8(ascii: "("): .leftParen
        case UInt8(ascii: ")"): .rightParen
        case UInt8(ascii: "["): .leftBracket
        case UInt8(ascii: "]"): .rightBracket
        case UInt8(ascii: "="): .equal
        case UInt8(ascii: "<"): .less
        case UInt8(ascii: ">"): .greater
        default: nil
        }
        if let oneByte {
            advance()
            return RuleToken(kind: .symbol(oneByte), position: start)
        }
        return RuleToken(kind: .invalid("the character \(describeCharacter(at: index))"), position: start)
    }

    func describeCharacter(at offset: Int) -> String {
        var end = offset + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        let text = String(decoding: bytes[offset..<min(end, bytes.count)], as: UTF8.self)
        if let scalar = text.unicodeScalars.first, scalar.value < 0x20 || scalar.value == 0x7F || scalar.properties.isWhitespace {
            return "U+\(String(scalar.value, radix: 16, uppercase: true))"
        }
        return "`\(text)`"
    }

    mutating func takeWhile(_ predicate: (UInt8) -> Bool) -> String {
        let begin = index
        while let byte = peek(), predicate(byte) { advance() }
        return String(decoding: bytes[begin..<index], as: UTF8.self)
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_")
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
