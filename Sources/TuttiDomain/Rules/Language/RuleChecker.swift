/// A rule that parsed and type-checked: the tree both evaluators consume, plus what it refers to.
public struct CheckedRule: Sendable, Hashable {
    public var expression: RuleExpression
    /// The segments named directly by `in segment` clauses, with the versions inlined, in order.
    public var segments: [SegmentReference]

    /// The canonical text of the rule (see ``RulePrinter``).
    public var text: String { RulePrinter.text(of: expression) }
}

/// Turns rule text (or a parsed ``RuleSyntax``) into a ``RuleExpression``, reporting every type
/// error with its position: operators with literals they cannot compare, unknown names
/// (channels, statuses, `value.` fields, functions, units), impossible dates, durations out of
/// range, empty lists, unknown segments and cycles among segments.
///
/// `defining` is the chain of segments being defined, outermost first (`["A"]` while saving
/// segment A): a rule that reaches one of them again, directly or through the definitions the
/// resolver returns (A → B → A), is refused.
public struct RuleChecker {
    /// How many segments deep, counting text definitions checked on the way, a rule may refer.
    public static let maximumSegmentDepth = 16

    public var segments: any SegmentResolver
    public var defining: [String]
    /// Whether `context.*` may be read: true only where a rule is decided with a request's
    /// context (an offer's eligibility, which real-time decisions evaluate in memory). A
    /// segment or a campaign audience is compiled to SQL over every customer, where no
    /// context exists, so there it is an error.
    public var allowsContext = false
    /// Whether `event.*` may be read: true only in a triggered campaign's rule, decided in
    /// memory with the event that fired it (docs/triggers.md).
    public var allowsEvent = false

    /// The error for `event.` where no event exists.
    static let noEvent =
        "`event.…` is only readable in a triggered campaign's trigger.rule (the event that fires it); segments, audiences, offers and template conditions have no event"
    /// The error for an `event.` path other than `event.name` and `event.properties.…`.
    static let badEventPath = "expected `event.name` or `event.properties.<name>` after `event.`"

    /// The error for `context.` where no context exists.
    static let noContext =
        "`context.…` is only readable in an offer's eligibility rule (a real-time decision's request context); segments, campaign audiences and template conditions have no context"

    var errors: [RuleError] = []
    var references: [SegmentReference] = []

    public init(segments: any SegmentResolver = SegmentCatalog(), defining: [String] = []) {
        self.segments = segments
        self.defining = defining
    }

    /// Parses and checks `text`.
    public func check(_ text: String) throws(RuleErrors) -> CheckedRule {
        try check(RuleParser.parse(text))
    }

    /// Checks a parsed rule.
    public func check(_ syntax: RuleSyntax) throws(RuleErrors) -> CheckedRule {
        var checker = self
        checker.errors = []
        checker.references = []
        let expression = checker.expression(syntax)
        guard let expression, checker.errors.isEmpty else {
            throw RuleErrors(checker.errors.isEmpty ? [RuleError("the rule does not check", at: syntax.position)] : checker.errors)
        }
        return CheckedRule(expression: expression, segments: checker.references)
    }

    mutating func fail(_ message: String, at position: SourcePosition) {
        errors.append(RuleError(message, at: position))
    }

    /// The checked node, or nil after recording why not. Recursion is bounded by the parser's
    /// depth limit.
    mutating func expression(_ syntax: RuleSyntax) -> RuleExpression? {
        switch syntax.kind {
        case .and(let members):
            let checked = members.map { expression($0) }
            return checked.contains(nil) ? nil : .all(checked.compactMap { $0 })
        case .or(let members):
            let checked = members.map { expression($0) }
            return checked.contains(nil) ? nil : .any(checked.compactMap { $0 })
        case .not(let inner):
            return expression(inner).map { .not($0) }
        case .constant(let value):
            return value ? .all([]) : .any([])
        case .condition(let subject, let test):
            return condition(subject, test, at: syntax.position)
        case .canReceive(let channel):
            guard let known = ReachabilityChannel(rawValue: channel.value.lowercased()) else {
                fail("expected a channel (\(Self.list(ReachabilityChannel.allCases.map(\.rawValue)))) after `can receive` but found `\(channel.value)`", at: channel.position)
                return nil
            }
            return .canReceive(known)
        case .consent(let channel, let topic, let status):
            return consent(channel: channel, topic: topic, status: status)
        case .inSegment(let name):
            return segment(name)
        }
    }

    mutating func consent(channel: Located<String>, topic: Located<String>?, status: Located<String>) -> RuleExpression? {
        let knownChannel = ConsentChannel(rawValue: channel.value.lowercased())
        if knownChannel == nil {
            fail("expected a consent channel (\(Self.list(ConsentChannel.allCases.map(\.rawValue)))) but found `\(channel.value)`", at: channel.position)
        }
        var checkedTopic: String? = ""
        if let topic {
            do throws(ValidationError) {
                checkedTopic = try ConsentTopic.validate(topic.value)
                if topic.value.isEmpty { fail("a consent topic must not be empty; leave it out for the channel as a whole", at: topic.position) }
            } catch {
                checkedTopic = nil
                fail("a consent topic \(error.message), not \(RulePrinter.quoted(String(topic.value.prefix(70))))", at: topic.position)
            }
        }
        let knownStatus = ConsentStatus(rawValue: status.value.lowercased())
        if knownStatus == nil {
            fail("expected a consent status (\(Self.list(ConsentStatus.allCases.map(\.rawValue)))) but found `\(status.value)`", at: status.position)
        }
        guard let knownChannel, let checkedTopic, let knownStatus, !(topic?.value.isEmpty ?? false) else { return nil }
        return .consent(knownChannel, topic: checkedTopic, status: knownStatus)
    }

    /// "a, b or c".
    static func list(_ names: [String]) -> String {
        guard let last = names.last else { return "" }
        return names.count == 1 ? last : names.dropLast().joined(separator: ", ") + " or " + last
    }
}

extension RuleChecker {
    /// Whether `path` (after `event.`) names what an event has: its name or a property.
    static func isEventPath(_ path: [String]) -> Bool {
        path == ["name"] || (path.count >= 2 && path[0] == "properties")
    }
}
