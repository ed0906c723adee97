/// Replaces the inlined rules of a JSON-form rule's `in segment` clauses with what the
/// checker's resolver answers now, with the checker's cycle checks.
struct SegmentReresolver {
    var checker: RuleChecker
    var errors: [RuleError] = []
    var references: [SegmentReference] = []

    init(checker: RuleChecker) {
        self.checker = checker
    }

    /// Recursion is bounded: the tree passed ``RuleValidator``'s depth limit.
    mutating func resolve(_ expression: RuleExpression, path: String) -> RuleExpression? {
        switch expression {
        case .all(let members), .any(let members):
            let key = if case .all = expression { "all" } else { "any" }
            let resolved = members.enumerated().map { resolve($1, path: "\(path).\(key)._0[\($0)]") }
            guard !resolved.contains(nil) else { return nil }
            return key == "all" ? .all(resolved.compactMap { $0 }) : .any(resolved.compactMap { $0 })
        case .not(let inner):
            return resolve(inner, path: path + ".not._0").map { .not($0) }
        case .inSegment(let reference, _):
            var scratch = checker
            scratch.errors = []
            scratch.references = []
            let resolved = scratch.segment(Located(reference.name, at: SourcePosition(line: 1, column: 1)))
            errors += scratch.errors.map { RuleError($0.message, jsonPath: path + ".inSegment._0.name") }
            for found in scratch.references where !references.contains(found) { references.append(found) }
            return resolved
        case .context:
            guard checker.allowsContext else {
                errors.append(RuleError(RuleChecker.noContext, jsonPath: path + ".context"))
                return nil
            }
            return expression
        case .event:
            guard checker.allowsEvent else {
                errors.append(RuleError(RuleChecker.noEvent, jsonPath: path + ".event"))
                return nil
            }
            return expression
        case .attribute, .value, .canReceive, .consent, .aggregate:
            return expression
        }
    }
}
