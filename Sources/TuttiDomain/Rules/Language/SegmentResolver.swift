/// Looks segments up by name for `in segment "…"` clauses. The checker inlines the definition it
/// returns, so a resolver answers with the segment's current version.
///
/// The checker calls it synchronously: a caller backed by a database fetches the names the rule
/// mentions first (``RuleSyntax/segmentNames``) and answers from what it fetched, as
/// ``SegmentCatalog`` does. Stored definitions are already checked and have their own
/// references inlined, so one fetch is enough.
public protocol SegmentResolver {
    /// The segment called `name` (names compare case-insensitively), or nil if there is none.
    func segment(named name: String) -> SegmentDefinition?
}

/// One version of a segment's rule, as a resolver returns it.
public struct SegmentDefinition: Sendable, Hashable {
    /// A segment's rule: checked (its `in segment` clauses already inlined), or text that the
    /// checker will check in turn, resolving its references through the same resolver.
    public enum Rule: Sendable, Hashable {
        case checked(RuleExpression)
        case text(String)
    }

    public var name: String
    public var version: Int
    public var rule: Rule

    public init(name: String, version: Int, rule: Rule) {
        self.name = name
        self.version = version
        self.rule = rule
    }
}

/// Segments held in memory, keyed by lower-cased name.
public struct SegmentCatalog: SegmentResolver, Sendable {
    private var definitions: [String: SegmentDefinition]

    public init(_ definitions: [SegmentDefinition] = []) {
        self.definitions = [:]
        for definition in definitions { self.definitions[definition.name.lowercased()] = definition }
    }

    public func segment(named name: String) -> SegmentDefinition? {
        definitions[name.lowercased()]
    }
}

extension RuleSyntax {
    /// The names of the segments the rule mentions, in order of appearance, without repeats
    /// (case-insensitively): what a resolver must be able to answer for.
    public var segmentNames: [String] {
        var names: [String] = []
        var seen: Set<String> = []
        var stack = [self]
        var found: [(SourcePosition, String)] = []
        while let node = stack.popLast() {
            switch node.kind {
            case .and(let members), .or(let members): stack.append(contentsOf: members)
            case .not(let inner): stack.append(inner)
            case .inSegment(let name): found.append((name.position, name.value))
            case .constant, .condition, .canReceive, .consent: break
            }
        }
        for (_, name) in found.sorted(by: { $0.0 < $1.0 }) where seen.insert(name.lowercased()).inserted {
            names.append(name)
        }
        return names
    }
}

extension RuleExpression {
    /// The segments inlined in this rule, outermost first, each with the chain of segments that
    /// leads to it (for cycle messages).
    func segmentChains(prefix: [String] = []) -> [[String]] {
        var chains: [[String]] = []
        var stack: [(RuleExpression, [String])] = [(self, prefix)]
        while let (node, chain) = stack.popLast() {
            switch node {
            case .all(let members), .any(let members): stack.append(contentsOf: members.map { ($0, chain) })
            case .not(let inner): stack.append((inner, chain))
            case .inSegment(let reference, let inner):
                chains.append(chain + [reference.name])
                stack.append((inner, chain + [reference.name]))
            case .attribute, .value, .canReceive, .consent, .aggregate, .context, .event: break
            }
        }
        return chains
    }
}

extension RuleExpression {
    /// The names of the segments the rule inlines at its top level (not those inside other
    /// inlined segments), without repeats: what re-resolving its JSON form looks up.
    public var segmentNames: [String] {
        var names: [String] = []
        for chain in segmentChains() where chain.count == 1 {
            if let name = chain.first, !names.contains(where: { $0.lowercased() == name.lowercased() }) { names.append(name) }
        }
        return names
    }
}
