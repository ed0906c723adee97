import Foundation

/// A saved campaign: its definition, where it stands, and what its launch pinned.
public struct Campaign: Sendable, Hashable {
    public var id: UUID
    public var definition: CampaignDefinition
    public var state: CampaignState
    /// The template version every message renders with, pinned at launch.
    public var templateVersion: Int?
    /// The segment and its version the audience was taken from, pinned at launch (nil for a
    /// campaign with a rule of its own).
    public var segmentID: UUID?
    public var segmentVersion: Int?
    public var launchedAt: Date?
    /// When the scheduler opens the next occurrence (nil: none to come).
    public var nextOccurrenceAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, definition: CampaignDefinition, state: CampaignState, templateVersion: Int? = nil, segmentID: UUID? = nil,
        segmentVersion: Int? = nil, launchedAt: Date? = nil, nextOccurrenceAt: Date? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.definition = definition
        self.state = state
        self.templateVersion = templateVersion
        self.segmentID = segmentID
        self.segmentVersion = segmentVersion
        self.launchedAt = launchedAt
        self.nextOccurrenceAt = nextOccurrenceAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// What a launch records beside the state: the versions every occurrence uses.
public struct CampaignPins: Sendable, Hashable {
    public var templateID: UUID
    public var templateVersion: Int
    public var segmentID: UUID?
    public var segmentVersion: Int?
    /// The checked audience rule (``RuleExpression``), the segment's at its version or the
    /// campaign's own.
    public var audienceRule: RuleExpression
    /// When the scheduler opens the first occurrence.
    public var firstOccurrenceAt: Date?

    public init(
        templateID: UUID, templateVersion: Int, segmentID: UUID?, segmentVersion: Int?, audienceRule: RuleExpression,
        firstOccurrenceAt: Date?
    ) {
        self.templateID = templateID
        self.templateVersion = templateVersion
        self.segmentID = segmentID
        self.segmentVersion = segmentVersion
        self.audienceRule = audienceRule
        self.firstOccurrenceAt = firstOccurrenceAt
    }
}
