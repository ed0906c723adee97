/// Numbers, dates and strings.
extension RuleLexer {
    /// `-12`, `3.5`, `1e-5`: JSON's number syntax.
    mutating func number(start: SourcePosition) -> RuleToken {
        let begin = index
        if peek() == UInt8(ascii: "-") { advance() }
        skipDigits()
        if peek() == UInt8(ascii: "."), peek(1).map(Self.isDigit) == true {
            advance()
            skipDigits()
        }
        if let e = peek(), e | 0x20 == UInt8(ascii: "e") {
            let sign = peek(1) == UInt8(ascii: "+") || peek(1) == UInt8(ascii: "-") ? 1 : 0
            if peek(1 + sign).map(Self.isDigit) == true {
                for _ in 0...sign { advance() }
                skipDigits()
            }
        }
        if let byte = peek(), Self.isNameByte(byte) {
            // `30days` or `12abc`: say where the number should have ended.
            return RuleToken(kind: .invalid("a number running into a name (put a space after the number)"), position: start)
        }
        let text = String(decoding: bytes[begin..<index], as: UTF8.self)
        return RuleToken(kind: .number(Double(text) ?? .infinity, text), position: start)
    }

    private mutating func skipDigits() {
        while let byte = peek(), Self.isDigit(byte) { advance() }
    }

    /// A date token when the text has the shape `DDDD-D`; its fields must then be complete.
    mutating func dateIfAny(start: SourcePosition) -> RuleToken? {
        guard (0..<4).allSatisfy({ peek($0).map(Self.isDigit) == true }), peek(4) == UInt8(ascii: "-"),
            peek(5).map(Self.isDigit) == true
        else { return nil }
        let begin = index
        let invalid = RuleToken(kind: .invalid("a malformed date (write 2024-01-31 or 2024-01-31T10:00:00Z)"), position: start)
        guard let year = digits(4), skip("-"), let month = digits(2), skip("-"), let day = digits(2) else { return invalid }
        var time: DateLiteral.Time?
        if let t = peek(), t | 0x20 == UInt8(ascii: "t"), peek(1).map(Self.isDigit) == true {
            advance()
            guard let hour = digits(2), skip(":"), let minute = digits(2), skip(":"), let second = digits(2) else { return invalid }
            var millisecond = 0
            if skip(".") {
                var count = 0
                while let byte = peek(), Self.isDigit(byte) {
                    if count < 3 { millisecond = millisecond * 10 + Int(byte - UInt8(ascii: "0")) }
                    count += 1
                    advance()
                }
                guard count > 0 else { return invalid }
                for _ in count..<max(count, 3) { millisecond *= 10 }
            }
            var offset = 0
            if let z = peek(), z | 0x20 == UInt8(ascii: "z") {
                advance()
            } else if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                advance()
                guard let hours = digits(2), skip(":"), let minutes = digits(2), hours < 24, minutes < 60 else { return invalid }
                offset = (hours * 60 + minutes) * (sign == UInt8(ascii: "-") ? -1 : 1)
            } else {
                return RuleToken(kind: .invalid("a date-time without a time zone (end it with Z or an offset like +02:00)"), position: start)
            }
            time = DateLiteral.Time(hour: hour, minute: minute, second: second, millisecond: millisecond, offsetMinutes: offset)
        }
        if let byte = peek(), Self.isNameByte(byte) || byte == UInt8(ascii: ":") { return invalid }
        let text = String(decoding: bytes[begin..<index], as: UTF8.self)
        return RuleToken(kind: .date(DateLiteral(year: year, month: month, day: day, time: time, text: text)), position: start)
    }

    private mutating func digits(_ count: Int) -> Int? {
        var value = 0
        for _ in 0..<count {
            guard let byte = peek(), Self.isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            advance()
        }
        return value
    }

    private mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard peek() == UInt8(ascii: character) else { return false }
        advance()
        return true
    }

    /// A double-quoted string with JSON's escapes.
    mutating func string(start: SourcePosition) -> RuleToken {
        advance()
        var scalars = String.UnicodeScalarView()
        var runStart = index
        func flush(_ lexer: RuleLexer) {
            scalars.append(contentsOf: String(decoding: lexer.bytes[runStart..<lexer.index], as: UTF8.self).unicodeScalars)
        }
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: "\""):
                flush(self)
                advance()
                return RuleToken(kind: .string(String(scalars)), position: start)
            case UInt8(ascii: "\\"):
                flush(self)
                let escapePosition = position
                advance()
                guard let scalar = escape() else {
                    return RuleToken(kind: .invalid("an invalid escape in a string (use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)"), position: escapePosition)
                }
                scalars.append(scalar)
                runStart = index
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                return RuleToken(kind: .invalid("a string that does not end on its line (close it with \" or write \\n)"), position: start)
            case 0..<0x20:
                return RuleToken(kind: .invalid("a control character in a string (write it as \\u00XX)"), position: position)
            default:
                advance()
            }
        }
        return RuleToken(kind: .invalid("a string that is never closed (add a \")"), position: start)
    }

    /// The scalar of an escape, the backslash consumed; nil when it is not one of JSON's.
    private mutating func escape() -> Unicode.Scalar? {
        guard let byte = peek() else { return nil }
        advance()
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            guard let high = hex4() else { return nil }
            if (0xD800..<0xDC00).contains(high) {
                guard skip("\\"), skip("u"), let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
            }
            return Unicode.Scalar(high)
        default: return nil
        }
    }

    private mutating func hex4() -> UInt32? {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek(), let digit = Self.hexValue(byte) else { return nil }
            value = value * 16 + digit
            advance()
        }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
