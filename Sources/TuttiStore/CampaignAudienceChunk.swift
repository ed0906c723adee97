import Foundation
import TuttiDomain

/// One channel of a campaign in the campaign's order of preference, as the audience build
/// offers it to each customer: what the customer needs to be reachable on it.
public struct CampaignChannelOption: Sendable, Hashable {
    public var channelID: UUID
    /// The gateway type (`smtp`, `twilio`, `webhook`, …).
    public var channelType: String
    /// Nil for channels that send to their own endpoint (webhooks): everyone is reachable.
    public var recipient: ChannelRecipient?

    public init(channelID: UUID, channelType: String) {
        self.channelID = channelID
        self.channelType = channelType
        self.recipient = ChannelRecipient.of(channelType: channelType)
    }
}

/// What the audience build writes for one chunk of customers of one occurrence, in one
/// statement (``TenantSession/campaignBuildChunk(_:)``).
public struct CampaignAudienceChunk: Sendable {
    public var campaignID: UUID
    public var occurrence: Int
    /// The chunk's customers in id order, each with the instant it is planned for (the
    /// occurrence's, or the customer's own local time) and the id its message would get.
    public var customers: [PlannedCustomer]
    public var channels: [CampaignChannelOption]
    public var holdoutPercent: Double
    public var expiresAfter: Duration
    public var templateID: UUID?
    public var templateVersion: Int?
    /// Messages per second for the whole occurrence, spread by rank from `planned`; nil: all at once.
    public var throttlePerSecond: Double?
    /// The tenant's contact policy, checked as the audience is built (nil or empty: none).
    public var policy: ContactPolicy?

    /// A customer of the chunk and its plan.
    public struct PlannedCustomer: Sendable, Hashable {
        public var customerID: UUID
        public var plannedAt: Date
        public var messageID: UUID

        public init(customerID: UUID, plannedAt: Date, messageID: UUID = .v7()) {
            self.customerID = customerID
            self.plannedAt = plannedAt
            self.messageID = messageID
        }
    }

    public init(
        campaignID: UUID, occurrence: Int, customers: [PlannedCustomer], channels: [CampaignChannelOption],
        holdoutPercent: Double, expiresAfter: Duration, templateID: UUID?, templateVersion: Int?, throttlePerSecond: Double?,
        policy: ContactPolicy? = nil
    ) {
        self.campaignID = campaignID
        self.occurrence = occurrence
        self.customers = customers
        self.channels = channels
        self.holdoutPercent = holdoutPercent
        self.expiresAfter = expiresAfter
        self.templateID = templateID
        self.templateVersion = templateVersion
        self.throttlePerSecond = throttlePerSecond
        self.policy = policy
    }
}

/// What one chunk of the build wrote: recipient rows new in this occurrence (a rerun of a
/// chunk after a crash writes none) and, of those, the messages queued.
public struct CampaignChunkResult: Sendable, Equatable {
    public var recipients: Int
    public var queued: Int
}
