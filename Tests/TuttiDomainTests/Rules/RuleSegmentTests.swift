import Foundation
import Testing
import TuttiDomain

/// `in segment`: resolution, inlining, unknown names and cycles.
@Suite("Rule language: segments")
struct RuleSegmentTests {
    static let vipRule = RuleExpression.value(.monetary, .compare(.greaterOrEqual, .number(4)))

    @Test func aCheckedSegmentIsInlinedWithItsVersion() throws {
        let segments = SegmentCatalog([SegmentDefinition(name: "VIP", version: 3, rule: .checked(Self.vipRule))])
        let checked = try RuleChecker(segments: segments).check(#"in segment "vip""#)
        #expect(checked.expression == .inSegment(SegmentReference(name: "VIP", version: 3), Self.vipRule))
        #expect(checked.segments == [SegmentReference(name: "VIP", version: 3)])
    }

    @Test func aSegmentGivenAsTextIsCheckedInTurn() throws {
        let segments = SegmentCatalog([
            SegmentDefinition(name: "vip", version: 3, rule: .checked(Self.vipRule)),
            SegmentDefinition(name: "lapsed_vip", version: 1, rule: .text(#"in segment "vip" and value.last_purchase more than 1 year ago"#)),
        ])
        let checked = try RuleChecker(segments: segments).check(#"in segment "lapsed_vip""#)
        #expect(checked.expression == .inSegment(SegmentReference(name: "lapsed_vip", version: 1), .all([
            .inSegment(SegmentReference(name: "vip", version: 3), Self.vipRule),
            .value(.lastPurchase, .time(.moreThanAgo(RuleDuration(1, .years)))),
        ])))
    }

    @Test func anUnknownSegmentIsAnErrorAtItsName() {
        #expect(throws: RuleErrors([RuleError("there is no segment named \"gold\"", at: SourcePosition(line: 1, column: 34))])) {
            try RuleChecker().check(#"can receive email and in segment "gold""#)
        }
    }

    @Test func aSegmentCannotReferToItself() {
        #expect(throws: RuleErrors([RuleError(#"segment "a" would contain itself: "A" → "a""#, at: SourcePosition(line: 1, column: 12))])) {
            try RuleChecker(defining: ["A"]).check(#"in segment "a""#)
        }
    }

    @Test func aCycleThroughAStoredDefinitionIsRefused() {
        // B's stored, checked rule has A's earlier version inlined: saving A to refer to B closes A → B → A.
        let oldA = RuleExpression.canReceive(.email)
        let segments = SegmentCatalog([
            SegmentDefinition(name: "A", version: 1, rule: .checked(oldA)),
            SegmentDefinition(name: "B", version: 2, rule: .checked(.inSegment(SegmentReference(name: "A", version: 1), oldA))),
        ])
        #expect(throws: RuleErrors([RuleError(#"segment "B" leads back to the segment being defined: "A" → "B" → "A""#, at: SourcePosition(line: 1, column: 12))])) {
            try RuleChecker(segments: segments, defining: ["A"]).check(#"in segment "B""#)
        }
    }

    @Test func aCycleThroughTextDefinitionsIsRefused() {
        let segments = SegmentCatalog([
            SegmentDefinition(name: "A", version: 1, rule: .text(#"in segment "B""#)),
            SegmentDefinition(name: "B", version: 1, rule: .text(#"in segment "A""#)),
        ])
        #expect(throws: RuleErrors([RuleError(#"segment "A" would contain itself: "A" → "B" → "A""#, at: SourcePosition(line: 1, column: 12))])) {
            try RuleChecker(segments: segments, defining: ["A"]).check(#"in segment "B""#)
        }
        // Checked outside any definition, the loop is still found where it closes.
        #expect(throws: RuleErrors.self) { try RuleChecker(segments: segments).check(#"in segment "A""#) }
    }

    @Test func theRuleNamesItsSegmentsForAResolverToFetch() throws {
        let syntax = try RuleParser.parse(#"in segment "b" or (in segment "a" and not in segment "B")"#)
        #expect(syntax.segmentNames == ["b", "a"])
    }
}
