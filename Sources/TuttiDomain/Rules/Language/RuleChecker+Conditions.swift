/// Subjects: attribute paths, value fields and event aggregates.
extension RuleChecker {
    /// What a test is applied to, which decides the tests and literals that make sense.
    enum SubjectType {
        /// Free-form JSON (attributes, event properties): every test applies.
        case json
        /// A number, named for messages.
        case number(String)
        /// A time, named for messages.
        case time(String)
    }

    mutating func condition(_ subject: SubjectSyntax, _ test: TestSyntax, at position: SourcePosition) -> RuleExpression? {
        switch subject {
        case .attribute(let path):
            let checkedPath = self.path(path, at: position, what: "an attribute name after `attributes.`")
            let checkedTest = self.test(test, on: .json)
            guard let checkedPath, let checkedTest else { return nil }
            return .attribute(FieldCondition(path: checkedPath, test: checkedTest))
        case .context(let path):
            let checkedPath = self.path(path, at: position, what: "a context name after `context.`")
            let checkedTest = self.test(test, on: .json)
            guard allowsContext else {
                fail(Self.noContext, at: position)
                return nil
            }
            guard let checkedPath, let checkedTest else { return nil }
            return .context(FieldCondition(path: checkedPath, test: checkedTest))
        case .event(let path):
            let checkedPath = self.path(path, at: position, what: "`name` or `properties.<name>` after `event.`")
            let checkedTest = self.test(test, on: .json)
            guard allowsEvent else {
                fail(Self.noEvent, at: position)
                return nil
            }
            guard let checkedPath, let checkedTest else { return nil }
            guard Self.isEventPath(checkedPath) else {
                fail(Self.badEventPath + " but found `event.\(checkedPath.joined(separator: ".").prefix(60))`", at: position)
                return nil
            }
            return .event(FieldCondition(path: checkedPath, test: checkedTest))
        case .value(let path):
            let name = path.map(\.value).joined(separator: ".")
            guard let field = ValueField(rawValue: name.lowercased()) else {
                fail("expected a value field (\(Self.list(ValueField.allCases.map { "value." + $0.rawValue }))) but found `value.\(name.prefix(60))`", at: path.first?.position ?? position)
                _ = self.test(test, on: .json)
                return nil
            }
            let label = "value.\(field.rawValue)"
            return self.test(test, on: field.isTime ? .time(label) : .number(label)).map { .value(field, $0) }
        case .aggregate(let syntax):
            guard let checked = self.aggregate(syntax) else {
                _ = self.test(test, on: .json)
                return nil
            }
            return self.test(test, on: checked.type).map { .aggregate(checked.aggregate, $0) }
        }
    }

    /// A path's keys; every key must be non-empty.
    mutating func path(_ path: [Located<String>], at position: SourcePosition, what: String) -> [String]? {
        guard !path.isEmpty else {
            fail("expected \(what)", at: position)
            return nil
        }
        var valid = true
        for key in path where key.value.isEmpty {
            fail("a name in a path must not be empty (\"\")", at: key.position)
            valid = false
        }
        return valid ? path.map(\.value) : nil
    }

    mutating func aggregate(_ syntax: AggregateSyntax) -> (aggregate: EventAggregate, type: SubjectType)? {
        let name = syntax.function.value.lowercased()
        let label = "\(name)(…)"
        let function: AggregateFunction?
        var property: [String]?
        if !syntax.property.isEmpty {
            property = path(syntax.property, at: syntax.event.position, what: "a property name")
        }
        let needsProperty = ["sum", "average", "avg", "min", "minimum", "max", "maximum"].contains(name)
        switch name {
        case "count", "first", "last":
            if let first = syntax.property.first {
                fail("`\(name)` takes no property: it \(name == "count" ? "counts events" : "is the time of an event"); remove `.\(first.value)`", at: first.position)
            }
            function = name == "count" ? .count : name == "first" ? .first : .last
        case _ where needsProperty:
            if syntax.property.isEmpty {
                fail("`\(name)` needs a property of the event to read: \(name)(\(RulePrinter.quoted(syntax.event.value)).total)", at: syntax.event.position)
            }
            function = property.map { property in
                switch name {
                case "sum": .sum(property: property)
                case "average", "avg": .average(property: property)
                case "min", "minimum": .minimum(property: property)
                default: .maximum(property: property)
                }
            }
        default:
            fail("expected an aggregate (count, sum, average, min, max, first or last) but found `\(syntax.function.value)`", at: syntax.function.position)
            function = nil
        }
        if syntax.event.value.isEmpty {
            fail("an event name must not be empty", at: syntax.event.position)
        }
        var filters: [FieldCondition] = []
        var filtersValid = true
        for filter in syntax.filters {
            let path = self.path(filter.path, at: filter.test.position, what: "an event property")
            let test = self.test(filter.test, on: .json)
            if let path, let test { filters.append(FieldCondition(path: path, test: test)) } else { filtersValid = false }
        }
        let window = syntax.window.map { self.window($0) } ?? .allTime
        guard let function, let window, filtersValid, !syntax.event.value.isEmpty else { return nil }
        let type: SubjectType = switch function {
        case .first, .last: .time(label)
        default: .number(label)
        }
        return (EventAggregate(function: function, event: syntax.event.value, filters: filters, window: window), type)
    }

    mutating func window(_ syntax: WindowSyntax) -> EventWindow? {
        switch syntax.kind {
        case .last(let duration):
            return self.duration(duration).map { .last($0) }
        case .since(let date):
            return time(date, after: "since").map { .since($0) }
        case .between(let from, let to):
            let start = time(from, after: "between"), end = time(to, after: "and")
            guard let start, let end else { return nil }
            guard start < end else {
                fail("a window's start must come before its end (between \(RulePrinter.text(of: start)) and \(RulePrinter.text(of: end)))", at: to.position)
                return nil
            }
            return .between(start, end)
        }
    }
}
