import Foundation
import TuttiDomain

/// A campaign as the API shows it: its definition's members (optional ones `null` when unset),
/// its state, what its launch pinned, and on single reads its counts.
struct CampaignResource: Encodable {
    let campaign: Campaign
    let counts: CampaignCounts?

    init(_ campaign: Campaign, counts: CampaignCounts? = nil) {
        self.campaign = campaign
        self.counts = counts
    }

    enum CodingKeys: String, CodingKey {
        case id, name, state, audience, templateID = "template_id", channels, offers, schedule, trigger
        case throttlePerSecond = "throttle_per_second", holdoutPercent = "holdout_percent", expiresAfter = "expires_after"
        case templateVersion = "template_version", segmentVersion = "segment_version", launchedAt = "launched_at"
        case nextOccurrenceAt = "next_occurrence_at", createdAt = "created_at", updatedAt = "updated_at", counts
        case topic
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let fields = campaign.definition.json.objectValue ?? [:]
        try container.encode(campaign.id.lowercasedText, forKey: .id)
        try container.encode(campaign.definition.name, forKey: .name)
        try container.encode(campaign.state, forKey: .state)
        try container.encode(fields["audience"] ?? .null, forKey: .audience)
        try container.encode(fields["template_id"], forKey: .templateID)
        try container.encode(fields["channels"], forKey: .channels)
        try container.encode(fields["offers"] ?? .null, forKey: .offers)
        try container.encode(fields["schedule"] ?? .null, forKey: .schedule)
        try container.encode(fields["trigger"] ?? .null, forKey: .trigger)
        try container.encode(fields["throttle_per_second"] ?? .null, forKey: .throttlePerSecond)
        try container.encode(fields["holdout_percent"] ?? .null, forKey: .holdoutPercent)
        try container.encode(fields["expires_after"] ?? .null, forKey: .expiresAfter)
        try container.encode(fields["topic"] ?? .null, forKey: .topic)
        try container.encode(campaign.templateVersion, forKey: .templateVersion)
        try container.encode(campaign.segmentVersion, forKey: .segmentVersion)
        try container.encode(campaign.launchedAt, forKey: .launchedAt)
        try container.encode(campaign.nextOccurrenceAt, forKey: .nextOccurrenceAt)
        try container.encode(campaign.createdAt, forKey: .createdAt)
        try container.encode(campaign.updatedAt, forKey: .updatedAt)
        if let counts { try container.encode(CountsResource(counts), forKey: .counts) }
    }

    struct CountsResource: Encodable {
        var audience: Int
        var queued: Int
        var sent: Int
        var failed: Int
        var skipped: [String: Int]
        var heldOut: Int

        enum CodingKeys: String, CodingKey {
            case audience, queued, sent, failed, skipped, heldOut = "held_out"
        }

        init(_ counts: CampaignCounts) {
            audience = counts.audience
            queued = counts.queued
            sent = counts.sent
            failed = counts.failed
            skipped = counts.skipped
            heldOut = counts.heldOut
        }
    }
}

/// One recipient of a campaign as `GET /v1/campaigns/{id}/recipients` lists it.
struct CampaignRecipientResource: Encodable {
    var customerID: String
    var occurrence: Int
    var outcome: CampaignOutcome
    var reason: String?
    var channelID: String?
    var messageID: String?
    var plannedAt: Date

    enum CodingKeys: String, CodingKey {
        case customerID = "customer_id", occurrence, outcome, reason, channelID = "channel_id", messageID = "message_id"
        case plannedAt = "planned_at"
    }

    init(_ recipient: CampaignRecipient) {
        customerID = recipient.customerID.lowercasedText
        occurrence = recipient.occurrence
        outcome = recipient.outcome
        reason = recipient.reason
        channelID = recipient.channelID?.lowercasedText
        messageID = recipient.messageID?.lowercasedText
        plannedAt = recipient.plannedAt
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(customerID, forKey: .customerID)
        try container.encode(occurrence, forKey: .occurrence)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(reason, forKey: .reason)
        try container.encode(channelID, forKey: .channelID)
        try container.encode(messageID, forKey: .messageID)
        try container.encode(plannedAt, forKey: .plannedAt)
    }
}
