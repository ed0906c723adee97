/// `in segment "…"`: resolution, inlining and cycles.
extension RuleChecker {
    mutating func segment(_ name: Located<String>) -> RuleExpression? {
        guard !name.value.isEmpty else {
            fail("a segment name must not be empty", at: name.position)
            return nil
        }
        let lower = name.value.lowercased()
        if let index = defining.firstIndex(where: { $0.lowercased() == lower }) {
            fail("segment \(RulePrinter.quoted(name.value)) would contain itself: \(Self.chain(defining[index...] + [name.value]))", at: name.position)
            return nil
        }
        guard let definition = segments.segment(named: name.value) else {
            fail("there is no segment named \(RulePrinter.quoted(name.value))", at: name.position)
            return nil
        }
        let reference = SegmentReference(name: definition.name, version: definition.version)
        let inner: RuleExpression
        switch definition.rule {
        case .checked(let expression):
            let reached = defining.map { $0.lowercased() }
            for chain in expression.segmentChains(prefix: [definition.name]) {
                if let last = chain.last, let index = reached.firstIndex(of: last.lowercased()) {
                    fail("segment \(RulePrinter.quoted(name.value)) leads back to the segment being defined: \(Self.chain(defining[index...] + chain))", at: name.position)
                    return nil
                }
            }
            inner = expression
        case .text(let text):
            guard defining.count < Self.maximumSegmentDepth else {
                fail("segments refer to each other more than \(Self.maximumSegmentDepth) deep through \(RulePrinter.quoted(name.value))", at: name.position)
                return nil
            }
            let nested = RuleChecker(segments: segments, defining: defining + [definition.name])
            do throws(RuleErrors) {
                inner = try nested.check(text).expression
            } catch {
                let first = error.errors[0]
                let cycle = first.message.contains("would contain itself") || first.message.contains("leads back")
                fail(cycle ? first.message : "segment \(RulePrinter.quoted(definition.name)) (version \(definition.version)) does not check: \(first.message)", at: name.position)
                return nil
            }
        }
        if !references.contains(reference) { references.append(reference) }
        return .inSegment(reference, inner)
    }

    static func chain<Names: Collection<String>>(_ names: Names) -> String {
        names.map { RulePrinter.quoted($0) }.joined(separator: " → ")
    }
}
