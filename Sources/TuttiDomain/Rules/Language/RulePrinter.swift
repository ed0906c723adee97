/// Writes a ``RuleExpression`` as canonical rule text: lower-case keywords, one space between
/// words, parentheses only where precedence needs them, `in segment "…"` for inlined segments.
///
/// Parsing and checking the text (with the same segments) gives back the same tree, except
/// that a one-member `all` or `any` prints as its member, and `all([])` and `any([])` print as
/// `true` and `false`.
public enum RulePrinter {
    public static func text(of expression: RuleExpression) -> String {
        var output = ""
        write(expression, into: &output)
        return output
    }

    private static func write(_ expression: RuleExpression, into output: inout String) {
        switch expression {
        case .all(let members), .any(let members):
            let isAll = if case .all = expression { true } else { false }
            guard !members.isEmpty else {
                output += isAll ? "true" : "false"
                return
            }
            for (index, member) in members.enumerated() {
                if index > 0 { output += isAll ? " and " : " or " }
                // `and` binds tighter than `or`, so only a same-kind or an `or` inside `and` needs parentheses.
                let needsParentheses = switch member {
                case .all(let inner): inner.count > 1 && isAll
                case .any(let inner): inner.count > 1
                default: false
                }
                writeGrouped(member, parenthesized: needsParentheses, into: &output)
            }
        case .not(let inner):
            output += "not "
            let needsParentheses = switch inner {
            case .all(let members), .any(let members): members.count > 1
            default: false
            }
            writeGrouped(inner, parenthesized: needsParentheses, into: &output)
        case .attribute(let condition):
            output += "attributes." + path(condition.path)
            write(condition.test, into: &output)
        case .value(let field, let test):
            output += "value." + field.rawValue
            write(test, into: &output)
        case .context(let condition):
            output += "context." + path(condition.path)
            write(condition.test, into: &output)
        case .event(let condition):
            output += "event." + path(condition.path)
            write(condition.test, into: &output)
        case .canReceive(let channel):
            output += "can receive " + channel.rawValue
        case .consent(let channel, let topic, let status):
            output += "consent " + channel.rawValue + (topic.isEmpty ? "" : " " + quoted(topic)) + " is " + status.rawValue
        case .aggregate(let aggregate, let test):
            write(aggregate, into: &output)
            write(test, into: &output)
        case .inSegment(let reference, _):
            output += "in segment " + quoted(reference.name)
        }
    }

    private static func writeGrouped(_ expression: RuleExpression, parenthesized: Bool, into output: inout String) {
        if parenthesized { output += "(" }
        write(expression, into: &output)
        if parenthesized { output += ")" }
    }

    private static func write(_ aggregate: EventAggregate, into output: inout String) {
        let (name, property): (String, [String]) = switch aggregate.function {
        case .count: ("count", [])
        case .sum(let property): ("sum", property)
        case .average(let property): ("average", property)
        case .minimum(let property): ("min", property)
        case .maximum(let property): ("max", property)
        case .first: ("first", [])
        case .last: ("last", [])
        }
        output += name + "(" + quoted(aggregate.event)
        if !property.isEmpty { output += "." + path(property) }
        for (index, filter) in aggregate.filters.enumerated() {
            output += index == 0 ? " where " : " and "
            output += path(filter.path, quotingKeywords: true)
            write(filter.test, into: &output)
        }
        switch aggregate.window {
        case .allTime: break
        case .last(let duration): output += ", last " + text(of: duration)
        case .since(let time): output += ", since " + text(of: time)
        case .between(let start, let end): output += ", between " + text(of: start) + " and " + text(of: end)
        }
        output += ")"
    }

    private static func write(_ test: FieldTest, into output: inout String) {
        switch test {
        case .exists: output += " exists"
        case .missing: output += " missing"
        case .compare(let comparison, let literal): output += " " + comparison.rawValue + " " + text(of: literal)
        case .oneOf(let literals): output += " in [" + literals.map(text(of:)).joined(separator: ", ") + "]"
        case .contains(let literal): output += " contains " + text(of: literal)
        case .startsWith(let prefix): output += " starts with " + quoted(prefix)
        case .time(.withinLast(let duration)): output += " within last " + text(of: duration)
        case .time(.withinNext(let duration)): output += " within next " + text(of: duration)
        case .time(.moreThanAgo(let duration)): output += " more than " + text(of: duration) + " ago"
        case .time(.before(let time)): output += " before " + text(of: time)
        case .time(.after(let time)): output += " after " + text(of: time)
        case .anniversary(.isToday): output += " anniversary is today"
        case .anniversary(.inDays(let days)): output += " anniversary in \(days) \(days == 1 ? "day" : "days")"
        case .anniversary(.withinNextDays(let days)): output += " anniversary within next \(days) \(days == 1 ? "day" : "days")"
        }
    }

    public static func text(of literal: RuleLiteral) -> String {
        switch literal {
        case .string(let text): quoted(text)
        case .number(let value): text(of: value)
        case .bool(let value): value ? "true" : "false"
        case .time(let time): text(of: time)
        }
    }

    static func text(of number: Double) -> String {
        if number.rounded() == number, abs(number) < 1e15 { return String(Int64(number)) }
        return number.description
    }

    static func text(of duration: RuleDuration) -> String {
        let unit = duration.amount == 1 ? String(duration.unit.rawValue.dropLast()) : duration.unit.rawValue
        return "\(duration.amount) \(unit)"
    }

    /// `2024-01-01` at midnight UTC, else `2024-01-01T10:00:00Z` (with milliseconds when any).
    public static func text(of time: RuleTime) -> String {
        let c = time.utcComponents
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(abs(value))
            return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let date = "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))"
        if c.hour == 0, c.minute == 0, c.second == 0, c.millisecond == 0 { return date }
        let fraction = c.millisecond == 0 ? "" : "." + pad(c.millisecond, 3)
        return "\(date)T\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))\(fraction)Z"
    }

    /// Keys joined by `.`, each written as a word when it reads as one, else as a string.
    static func path(_ keys: [String], quotingKeywords: Bool = false) -> String {
        keys.enumerated().map { index, key in
            let plain = !key.isEmpty && key.utf8.allSatisfy(RuleLexer.isNameByte)
                && (index > 0 || !RuleLexer.isDigit(key.utf8.first ?? 0))
                && !(index == 0 && quotingKeywords && RuleParser.keywords.contains(key.lowercased()))
            return plain ? key : quoted(key)
        }.joined(separator: ".")
    }

    /// A string literal with JSON's escapes.
    public static func quoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }
}
