import Foundation

/// What a campaign sends, to whom, on which channels and when: the body of
/// `POST /v1/campaigns`, stored as the `definition` of its row (docs/campaigns.md).
///
/// ```json
/// {"name": "Spring sale", "audience": {"segment_id": "…"}, "template_id": "…",
///  "channels": ["<email channel id>", "<sms channel id>"],
///  "offers": {"offer_ids": ["…"], "mode": "arbitrate", "required": false},
///  "schedule": {"type": "now"}, "throttle_per_second": 100, "holdout_percent": 5,
///  "expires_after": "24 hours"}
/// ```
public struct CampaignDefinition: Sendable, Hashable {
    /// Who the campaign is for: a saved segment (its version pinned at launch) or a rule of its
    /// own, as text or in its JSON form (checked at save and pinned at launch).
    public enum Audience: Sendable, Hashable {
        case segment(UUID)
        case rule(JSONValue)
    }

    /// How an offer is chosen among `offerIDs`: ranked by arbitration (docs/offers.md) or the
    /// first eligible one in the campaign's order.
    public enum OfferMode: String, Sendable, Hashable, CaseIterable {
        case arbitrate, fixed
    }

    /// The offers a campaign's messages may carry.
    public struct Offers: Sendable, Hashable {
        public var offerIDs: [UUID]
        public var mode: OfferMode
        /// When true, a customer for whom no offer is eligible is sent nothing.
        public var required: Bool

        public init(offerIDs: [UUID], mode: OfferMode = .arbitrate, required: Bool = false) {
            self.offerIDs = offerIDs
            self.mode = mode
            self.required = required
        }
    }

    /// How long an unsent message stays worth sending when none is given.
    public static let defaultExpiresAfter = PolicyWindow("24 hours")!
    /// The longest `expires_after`: 366 days.
    public static let maximumExpiresAfterSeconds = 366 * 86_400
    /// The most channels a campaign may name.
    public static let maximumChannels = 10
    /// The most offers a campaign may name.
    public static let maximumOffers = 50
    /// The fastest throttle: messages per second handed to the queue.
    public static let maximumThrottle = 100_000

    public var name: String
    /// Nil for a triggered campaign, which has ``trigger`` instead of audience and schedule.
    public var audience: Audience?
    public var templateID: UUID
    /// Channel ids in order of preference: each customer gets the first they can receive.
    public var channelIDs: [UUID]
    public var offers: Offers?
    /// Nil for a triggered campaign.
    public var schedule: CampaignSchedule?
    /// What fires a triggered campaign, in place of audience and schedule (docs/triggers.md).
    public var trigger: CampaignTrigger?
    /// Messages per second at most (nil: as fast as the channels go).
    public var throttlePerSecond: Int?
    /// The share of the audience held out and sent nothing, 0–100 with two decimals.
    public var holdoutPercent: Double?
    /// An unsent message is dropped this long after its planned time (nil: 24 hours).
    public var expiresAfter: PolicyWindow?
    /// The topic key its messages belong to (docs/closed-loop.md, "Topics"): their unsubscribe
    /// link opts out of it, and customers opted out of it are skipped. Nil: the channel's
    /// marketing as a whole.
    public var topic: String?

    public init(
        name: String, audience: Audience?, templateID: UUID, channelIDs: [UUID], offers: Offers? = nil,
        schedule: CampaignSchedule?, throttlePerSecond: Int? = nil, holdoutPercent: Double? = nil,
        expiresAfter: PolicyWindow? = nil, topic: String? = nil, trigger: CampaignTrigger? = nil
    ) {
        self.name = name
        self.audience = audience
        self.templateID = templateID
        self.channelIDs = channelIDs
        self.offers = offers
        self.schedule = schedule
        self.throttlePerSecond = throttlePerSecond
        self.holdoutPercent = holdoutPercent
        self.expiresAfter = expiresAfter
        self.topic = topic
        self.trigger = trigger
    }

    /// The definition of a copy: the same, named "<name> (copy)" within the name's 200 characters.
    public var copy: CampaignDefinition {
        var copy = self
        let suffix = " (copy)"
        copy.name = String(name.prefix(DisplayName.maximumLength - suffix.count)) + suffix
        return copy
    }
}
