import Foundation
import TuttiDomain

/// A triggered campaign that is armed (launched, not paused, not cancelled), with what its
/// launch pinned: what ingestion needs to fire it without reading the campaign again.
public struct ArmedTrigger: Sendable {
    public var campaignID: UUID
    public var trigger: CampaignTrigger
    /// The trigger's checked rule pinned at launch (nil: every event of its name fires).
    public var rule: RuleEvaluator?
    public var templateID: UUID
    public var templateVersion: Int
    /// An unsent message is dropped this long after it is due.
    public var expiresAfterSeconds: Double
    /// The campaign's live channels in its order of preference.
    public var channels: [CampaignChannelOption]

    public init(
        campaignID: UUID, trigger: CampaignTrigger, rule: RuleEvaluator?, templateID: UUID, templateVersion: Int,
        expiresAfterSeconds: Double, channels: [CampaignChannelOption]
    ) {
        self.campaignID = campaignID
        self.trigger = trigger
        self.rule = rule
        self.templateID = templateID
        self.templateVersion = templateVersion
        self.expiresAfterSeconds = expiresAfterSeconds
        self.channels = channels
    }
}

/// An event that fires an armed trigger: ingestion decided its name and rule; the firing
/// statement decides reentry, reachability and the message (``TenantSession/triggerFire(_:now:)``).
public struct TriggerCandidate: Sendable {
    public var trigger: ArmedTrigger
    public var customerID: UUID
    public var eventID: UUID
    public var occurredAt: Date
    /// The event's messageId, when it has one: the entry key of reentry `always`.
    public var messageID: String?
    public var correlation: String?

    public init(
        trigger: ArmedTrigger, customerID: UUID, eventID: UUID, occurredAt: Date, messageID: String?, correlation: String?
    ) {
        self.trigger = trigger
        self.customerID = customerID
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.messageID = messageID
        self.correlation = correlation
    }

    /// What makes this firing unique for its (campaign, customer): the correlation value when
    /// the trigger has one; otherwise '' (once, after a window) or the event itself (always).
    public var entryKey: String {
        if trigger.trigger.correlation != nil { return "c:" + (correlation ?? "") }
        switch trigger.trigger.reentry {
        case .always: return messageID.map { "m:" + $0 } ?? "e:" + eventID.canonicalText
        case .once, .after: return ""
        }
    }
}

/// An exit event: it cancels its customer's pending firings of `campaignIDs` with the same
/// correlation value (any pending firing when the trigger has no correlation).
public struct TriggerExit: Sendable {
    public var campaignID: UUID
    public var customerID: UUID
    /// Nil: the trigger has no correlation; every pending firing of the customer exits.
    public var correlation: String?
    /// When the exit event happened: it cancels firings of events up to then.
    public var occurredAt: Date

    public init(campaignID: UUID, customerID: UUID, correlation: String?, occurredAt: Date) {
        self.campaignID = campaignID
        self.customerID = customerID
        self.correlation = correlation
        self.occurredAt = occurredAt
    }
}

/// What ``TenantSession/triggerFire(_:now:)`` and ``TenantSession/triggerExit(_:now:)`` did.
public struct TriggerOutcome: Sendable, Equatable {
    public var fired = 0
    public var queued = 0
    public var exited = 0

    public init(fired: Int = 0, queued: Int = 0, exited: Int = 0) {
        self.fired = fired
        self.queued = queued
        self.exited = exited
    }
}
