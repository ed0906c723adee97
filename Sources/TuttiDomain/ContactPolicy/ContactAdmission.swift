import Foundation

/// The policy's verdict on the messages of one claimed batch, decided in claim order: each
/// admitted message counts against its customer's caps for the messages after it (in this
/// batch and in every later one), so a batch holding three messages for a customer capped at
/// one sends the first alone.
///
/// Pure: the caller serializes the customers (docs/contact-policy.md, "At send time"), reads
/// their contacts and hands them in; the verdicts are then recorded in the same transaction.
public struct ContactAdmission: Sendable {
    /// A message waiting for its verdict.
    public struct Candidate: Sendable, Hashable {
        public var messageID: UUID
        public var customerID: UUID
        /// The message's channel type (`smtp`, `twilio`, …).
        public var channelType: String
        /// The customer's time zone (their `attributes.time_zone`, else the tenant's).
        public var timeZone: TimeZone
        /// Whether the ledger counts the message already: admitted by an earlier claim whose
        /// attempt failed and is retried. Such a message is sent again without a new verdict.
        public var alreadyCounted: Bool

        public init(messageID: UUID, customerID: UUID, channelType: String, timeZone: TimeZone, alreadyCounted: Bool = false) {
            self.messageID = messageID
            self.customerID = customerID
            self.channelType = channelType
            self.timeZone = timeZone
            self.alreadyCounted = alreadyCounted
        }
    }

    /// A message that counts against a customer's caps: sent or on its way, not failed.
    public struct Contact: Sendable, Hashable {
        public var channelType: String
        public var countedAt: Date

        public init(channelType: String, countedAt: Date) {
            self.channelType = channelType
            self.countedAt = countedAt
        }
    }

    public enum Verdict: Sendable, Hashable {
        /// Send it; the ledger counts it from now.
        case admit
        /// Send it without a new count: the ledger counts it already.
        case admitCounted
        /// Not now: quiet hours; hand it back until `until`.
        case `defer`(until: Date)
        /// Never: it ends `skipped` with this reason.
        case skip(SkipReason)
    }

    /// Why a message was not sent at all; the message's `skip_reason`.
    public enum SkipReason: String, Sendable, Hashable, CaseIterable {
        /// Sending it would take the customer over a cap.
        case capped
        /// Claimed in quiet hours whose action is `skip`.
        case quietHours = "quiet_hours"
    }

    public var policy: ContactPolicy

    public init(policy: ContactPolicy) {
        self.policy = policy
    }

    /// The verdict on each of `candidates`, in order, at `now`, given each customer's
    /// `contacts` within the policy's longest window (older ones are ignored anyway). Quiet
    /// hours are looked at first, so a deferred message uses no room under the caps.
    public func decide(_ candidates: [Candidate], contacts: [UUID: [Contact]], now: Date) -> [Verdict] {
        var contacts = contacts
        return candidates.map { candidate in
            if candidate.alreadyCounted { return .admitCounted }
            if let quiet = policy.quietHours, quiet.channels.contains(candidate.channelType),
                let end = quiet.end(containing: now, in: candidate.timeZone)
            {
                return quiet.action == .skip ? .skip(.quietHours) : .defer(until: end)
            }
            let history = contacts[candidate.customerID] ?? []
            for cap in policy.caps(for: candidate.channelType) {
                let since = now.addingTimeInterval(-Double(cap.per.seconds))
                let used = history.count { $0.countedAt > since && cap.channels.contains($0.channelType) }
                if used >= cap.max { return .skip(.capped) }
            }
            contacts[candidate.customerID, default: []].append(Contact(channelType: candidate.channelType, countedAt: now))
            return .admit
        }
    }
}
