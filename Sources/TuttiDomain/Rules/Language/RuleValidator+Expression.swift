/// The walk over a tree, with the JSON path of each node in the synthesized `Codable` form.
extension RuleValidator {
    mutating func expression(_ expression: RuleExpression, path: String, depth: Int, segments: [String]) {
        guard depth <= Self.maximumDepth else {
            fail("the rule nests more than \(Self.maximumDepth) deep", path)
            return
        }
        switch expression {
        case .all(let members):
            for (index, member) in members.enumerated() { self.expression(member, path: "\(path).all._0[\(index)]", depth: depth + 1, segments: segments) }
        case .any(let members):
            for (index, member) in members.enumerated() { self.expression(member, path: "\(path).any._0[\(index)]", depth: depth + 1, segments: segments) }
        case .not(let inner):
            self.expression(inner, path: path + ".not._0", depth: depth + 1, segments: segments)
        case .attribute(let condition):
            field(condition, path: path + ".attribute._0")
        case .value(let field, let test):
            self.test(test, on: field.isTime ? .time : .number, path: path + ".value._1")
        case .canReceive:
            break
        case .context(let condition):
            field(condition, path: path + ".context._0")
        case .event(let condition):
            field(condition, path: path + ".event._0")
            if !RuleChecker.isEventPath(condition.path) { fail(RuleChecker.badEventPath, path + ".event._0.path") }
        case .consent(_, let topic, _):
            do throws(ValidationError) { _ = try ConsentTopic.validate(topic) } catch {
                fail("a consent topic \(error.message)", path + ".consent.topic")
            }
        case .aggregate(let aggregate, let test):
            let kind = self.aggregate(aggregate, path: path + ".aggregate._0")
            self.test(test, on: kind, path: path + ".aggregate._1")
        case .inSegment(let reference, let inner):
            let segmentPath = path + ".inSegment"
            if reference.name.isEmpty { fail("a segment name must not be empty", segmentPath + "._0.name") }
            if reference.version < 1 { fail("a segment version starts at 1", segmentPath + "._0.version") }
            if segments.contains(reference.name.lowercased()) {
                fail("segment \(RulePrinter.quoted(reference.name)) contains itself", segmentPath + "._0.name")
                return
            }
            self.expression(inner, path: segmentPath + "._1", depth: depth + 1, segments: segments + [reference.name.lowercased()])
        }
    }

    /// What a test applies to.
    enum Kind { case json, number, time }

    mutating func field(_ condition: FieldCondition, path: String) {
        self.path(condition.path, at: path + ".path")
        test(condition.test, on: .json, path: path + ".test")
    }

    mutating func path(_ keys: [String], at path: String) {
        if keys.isEmpty { fail("a path needs at least one name", path) }
        for (index, key) in keys.enumerated() where key.isEmpty { fail("a name in a path must not be empty", "\(path)[\(index)]") }
    }

    mutating func aggregate(_ aggregate: EventAggregate, path: String) -> Kind {
        if aggregate.event.isEmpty { fail("an event name must not be empty", path + ".event") }
        for (index, filter) in aggregate.filters.enumerated() { field(filter, path: "\(path).filters[\(index)]") }
        switch aggregate.window {
        case .allTime: break
        case .last(let duration): self.duration(duration, path: path + ".window.last._0")
        case .since(let time): self.time(time, path: path + ".window.since._0")
        case .between(let start, let end):
            self.time(start, path: path + ".window.between._0")
            self.time(end, path: path + ".window.between._1")
            if start >= end { fail("a window's start must come before its end", path + ".window.between") }
        }
        switch aggregate.function {
        case .count: return .number
        case .first, .last: return .time
        case .sum(let property), .average(let property), .minimum(let property), .maximum(let property):
            let name = switch aggregate.function {
            case .sum: "sum"
            case .average: "average"
            case .minimum: "minimum"
            default: "maximum"
            }
            self.path(property, at: "\(path).function.\(name).property")
            return .number
        }
    }

    mutating func test(_ test: FieldTest, on kind: Kind, path: String) {
        switch test {
        case .exists, .missing: break
        case .compare(let comparison, let literal):
            self.literal(literal, on: kind, path: path + ".compare._1")
            if case .bool = literal, comparison != .equal, comparison != .notEqual {
                fail("`\(comparison.rawValue)` needs a number, a string or a date, not a boolean", path + ".compare._0")
            }
        case .oneOf(let literals):
            if literals.isEmpty { fail("`in` needs at least one value", path + ".oneOf._0") }
            for (index, literal) in literals.enumerated() { self.literal(literal, on: kind, path: "\(path).oneOf._0[\(index)]") }
        case .contains(let literal):
            if kind != .json { fail("`contains` applies to attributes and event properties only", path) }
            self.literal(literal, on: kind, path: path + ".contains._0")
        case .startsWith:
            if kind != .json { fail("`starts with` applies to attributes and event properties only", path) }
        case .time(let timeTest):
            if kind == .number { fail("time tests do not apply to a number", path) }
            switch timeTest {
            case .withinLast(let duration): self.duration(duration, path: path + ".time._0.withinLast._0")
            case .withinNext(let duration): self.duration(duration, path: path + ".time._0.withinNext._0")
            case .moreThanAgo(let duration): self.duration(duration, path: path + ".time._0.moreThanAgo._0")
            case .before(let time): self.time(time, path: path + ".time._0.before._0")
            case .after(let time): self.time(time, path: path + ".time._0.after._0")
            }
        case .anniversary(let anniversary):
            if kind == .number { fail("anniversaries do not apply to a number", path) }
            switch anniversary {
            case .isToday: break
            case .inDays(let days), .withinNextDays(let days):
                let key = if case .inDays = anniversary { "inDays" } else { "withinNextDays" }
                if !(1...RuleChecker.maximumAnniversaryDays).contains(days) {
                    fail("an anniversary is 1 to \(RuleChecker.maximumAnniversaryDays) days ahead", "\(path).anniversary._0.\(key)._0")
                }
            }
        }
    }

    mutating func literal(_ literal: RuleLiteral, on kind: Kind, path: String) {
        switch (literal, kind) {
        case (.time(let time), .json), (.time(let time), .time): self.time(time, path: path + ".time._0")
        case (.number(let value), .json), (.number(let value), .number):
            if !value.isFinite || abs(value) > 1e300 { fail("the number is too large", path + ".number._0") }
        case (.string, .json), (.bool, .json): break
        case (_, .number): fail("needs a number", path)
        case (_, .time): fail("needs a time", path)
        }
    }

    mutating func duration(_ duration: RuleDuration, path: String) {
        let maximum = RuleChecker.maximumAmount[duration.unit] ?? 1_000
        if !(1...maximum).contains(duration.amount) {
            fail("a duration in \(duration.unit.rawValue) must be 1 to \(maximum)", path + ".amount")
        }
    }

    mutating func time(_ time: RuleTime, path: String) {
        if !RuleTime.writable.contains(time) { fail("a time must fall in the years 0000 to 9999", path + ".millisecondsSinceEpoch") }
    }
}
