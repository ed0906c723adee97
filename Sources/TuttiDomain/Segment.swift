import Foundation

/// A named audience: a rule, versioned so that a campaign can record which version of the
/// definition chose its recipients.
public struct Segment: Sendable, Hashable {
    public var id: UUID
    public var name: String
    public var description: String?
    /// The current version; it starts at 1 and grows with every change of the rule.
    public var version: Int
    /// The rule as its author wrote it (or the canonical text of a rule sent as JSON).
    public var ruleText: String
    /// The checked rule, with the segments it names inlined as they were at this version.
    public var rule: RuleExpression
    /// The segments the rule names directly, with the versions inlined.
    public var references: [SegmentReference]
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, name: String, description: String?, version: Int, ruleText: String, rule: RuleExpression,
        references: [SegmentReference], createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.version = version
        self.ruleText = ruleText
        self.rule = rule
        self.references = references
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// One version of a segment's rule.
public struct SegmentVersion: Sendable, Hashable {
    public var version: Int
    public var ruleText: String
    public var rule: RuleExpression
    public var createdAt: Date

    public init(version: Int, ruleText: String, rule: RuleExpression, createdAt: Date) {
        self.version = version
        self.ruleText = ruleText
        self.rule = rule
        self.createdAt = createdAt
    }
}
