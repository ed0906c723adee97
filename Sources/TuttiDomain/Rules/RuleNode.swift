/// A compiled ``RuleExpression``: the same tree with paths, literals and lookup keys prepared.
indirect enum RuleNode: Sendable {
    case all([RuleNode])
    case any([RuleNode])
    case not(RuleNode)
    case attribute(path: [String], RuleTestProgram)
    case context(path: [String], RuleTestProgram)
    case event(path: [String], RuleTestProgram)
    case value(ValueField, RuleTestProgram)
    case canReceive(ReachabilityChannel, ConsentKey)
    case consent(ConsentKey, ConsentStatus)
    case aggregate(EventAggregate, RuleTestProgram)
    case constant(Bool)

    init(_ expression: RuleExpression) {
        switch expression {
        case .all(let members): self = members.count == 1 ? RuleNode(members[0]) : .all(members.map(RuleNode.init))
        case .any(let members): self = members.count == 1 ? RuleNode(members[0]) : .any(members.map(RuleNode.init))
        case .not(let inner): self = .not(RuleNode(inner))
        case .attribute(let condition): self = .attribute(path: condition.path, RuleTestProgram(condition.test))
        case .value(let field, let test): self = .value(field, RuleTestProgram(test))
        case .context(let condition): self = .context(path: condition.path, RuleTestProgram(condition.test))
        case .event(let condition): self = .event(path: condition.path, RuleTestProgram(condition.test))
        case .canReceive(let channel): self = .canReceive(channel, ConsentKey(channel: channel.consentChannel))
        case .consent(let channel, let topic, let status): self = .consent(ConsentKey(channel: channel, topic: topic), status)
        case .aggregate(let aggregate, let test): self = .aggregate(aggregate, RuleTestProgram(test))
        case .inSegment(_, let inner): self = RuleNode(inner)
        }
    }

    // The subject is passed, not stored in a context value: a copy would retain its five
    // collections on every evaluation.
    func holds(_ subject: RuleSubject, _ now: RuleTime) -> Bool {
        switch self {
        case .all(let members):
            for member in members where !member.holds(subject, now) { return false }
            return true
        case .any(let members):
            for member in members where member.holds(subject, now) { return true }
            return false
        case .not(let inner):
            return !inner.holds(subject, now)
        case .attribute(let path, let test):
            return test.holds(Self.lookup(path, in: subject.attributes), subject, now)
        case .value(let field, let test):
            return test.holds(Self.probe(field, subject.value), subject, now)
        case .context(let path, let test):
            return test.holds(Self.lookup(path, in: subject.context), subject, now)
        case .event(let path, let test):
            return test.holds(Self.lookup(path, in: subject.event), subject, now)
        case .canReceive(let channel, let key):
            guard subject.channelsWithIdentity.contains(channel) else { return false }
            let status = subject.consents[key]
            return status != .optedOut && status != .pending
        case .consent(let key, let status):
            return (subject.consents[key] ?? .unknown) == status
        case .aggregate(let aggregate, let test):
            switch subject.aggregates[aggregate] {
            case .number(let number)?: return test.holds(.number(number), subject, now)
            case .time(let time)?: return test.holds(.time(time.millisecondsSinceEpoch), subject, now)
            case .none?, nil: return test.holds(.missing, subject, now)
            }
        case .constant(let value):
            return value
        }
    }

    /// The value at `path`, with keys matched byte for byte (a Swift dictionary would also
    /// match canonically equivalent keys, which PostgreSQL does not).
    static func lookup(_ path: [String], in attributes: [String: JSONValue]) -> RuleProbe {
        guard !path.isEmpty else { return .missing }
        var object = attributes
        var index = 0
        while true {
            let key = path[index]
            guard let position = object.index(forKey: key) else { return .missing }
            let (foundKey, value) = object[position]
            guard RuleBytes.equal(foundKey, key) else { return .missing }
            index += 1
            if index == path.count { return .json(value) }
            guard case .object(let inner) = value else { return .missing }
            object = inner
        }
    }

    static func probe(_ field: ValueField, _ value: CustomerValue?) -> RuleProbe {
        func number(_ value: Double?) -> RuleProbe { value.map(RuleProbe.number) ?? .missing }
        func time(_ value: RuleTime?) -> RuleProbe { value.map { .time($0.millisecondsSinceEpoch) } ?? .missing }
        switch field {
        case .lifetimeRevenue: return .number(value?.lifetimeRevenue ?? 0)
        case .orderCount: return .number(Double(value?.orderCount ?? 0))
        case .firstPurchase: return time(value?.firstPurchase)
        case .lastPurchase: return time(value?.lastPurchase)
        case .averageOrderValue: return number(value?.averageOrderValue)
        case .recency: return number(value?.rfmRecency.map(Double.init))
        case .frequency: return number(value?.rfmFrequency.map(Double.init))
        case .monetary: return number(value?.rfmMonetary.map(Double.init))
        case .predicted12Months: return number(value?.predicted12Months)
        }
    }
}
