import Foundation
import PostgresNIO
import TuttiDomain

/// A Segment message checked and ready to store: its identities and attribute write.
public struct IngestMessage: Sendable {
    public var message: SegmentMessage
    public var identities: [Identity]
    public var attributes: [String: JSONValue]

    public init(message: SegmentMessage, identities: [Identity], attributes: [String: JSONValue]) {
        self.message = message
        self.identities = identities
        self.attributes = attributes
    }
}

/// What an ingestion request stored.
public struct IngestResult: Sendable, Equatable {
    public var stored: Int
    /// Messages skipped because their `messageId` was stored before or repeated in the batch.
    public var duplicates: Int
    public var merges: [CustomerMergeRecord]
}

extension TenantSession {
    /// Stores Segment messages in order: `identify` and `alias` update profiles (and may merge
    /// customers); every message lands on its customer's timeline; messages whose `messageId`
    /// was seen before are skipped. The identity lookups for the whole batch take one query, the
    /// events one insert, and the replay check one query when some message writes to a profile.
    public func ingest(_ messages: [IngestMessage], receivedAt: Date, requestID: String?) async throws -> IngestResult {
        var seenInBatch: Set<String> = []
        var unique: [IngestMessage] = []
        for message in messages {
            if let id = message.message.messageID {
                guard seenInBatch.insert(id).inserted else { continue }
            }
            unique.append(message)
        }
        var owners = try await customerIDs(for: Array(Set(unique.flatMap { $0.identities + ((try? $0.message.aliasCandidates()) ?? []) })))
        // A replay must be skipped before it writes to a profile; one that only adds an event is
        // skipped by the insert itself (its message id is already stored), so only messages
        // that may write are checked here, and a batch of known customers needs no check at all.
        // Owners only grow and merge while the batch is written, so a message that needs no
        // write now needs none later; an alias is the exception (which of its candidates are
        // known decides its identities), so aliases are always checked.
        let mayWrite = unique.filter { $0.message.kind == .alias || Self.existingCustomer($0.identities, $0.attributes, owners) == nil }
        let stored = try await eventMessageIDsSeen(mayWrite.compactMap(\.message.messageID))
        let fresh = unique.filter { $0.message.messageID.map { !stored.contains($0) } ?? true }
        var duplicates = messages.count - fresh.count

        var merges: [CustomerMergeRecord] = []
        var events: [CustomerEvent] = []
        for item in fresh {
            let message = item.message
            var identities = item.identities
            if message.kind == .alias, let candidates = try? message.aliasCandidates() {
                let known = candidates.filter { owners[$0] != nil }
                identities += known.isEmpty ? [candidates[0]] : known
            }
            let customerID: UUID
            if let existing = Self.existingCustomer(identities, item.attributes, owners) {
                customerID = existing
            } else {
                let result = try await customerWrite(
                    CustomerWrite(identities: identities, attributes: item.attributes, source: "segment"), requestID: requestID)
                customerID = result.customerID
                merges += result.merges
                if !result.merges.isEmpty {
                    let mergedAway = Set(result.merges.map(\.mergedID))
                    owners = owners.mapValues { mergedAway.contains($0) ? customerID : $0 }
                }
                for identity in identities { owners[identity] = customerID }
            }
            var context = message.context
            if context["traits"] == nil, message.kind != .identify, !message.traits.isEmpty { context["traits"] = .object(message.traits) }
            events.append(CustomerEvent(
                customerID: customerID, kind: CustomerEvent.Kind(rawValue: message.kind.rawValue) ?? .track,
                name: message.eventName, properties: message.eventProperties(), context: context,
                channel: message.channel, messageID: message.messageID, occurredAt: message.occurredAt(receivedAt: receivedAt)))
        }
        let inserted = try await eventInsert(events)
        duplicates += events.count - inserted
        return IngestResult(stored: inserted, duplicates: duplicates, merges: merges)
    }

    /// The customer a message lands on without writing to any profile: every identity is known
    /// and all belong to one customer, and there are no attributes to write. Nil when it must write.
    static func existingCustomer(_ identities: [Identity], _ attributes: [String: JSONValue], _ owners: [Identity: UUID]) -> UUID? {
        guard attributes.isEmpty else { return nil }
        var customer: UUID?
        for identity in identities {
            guard let owner = owners[identity], customer == nil || customer == owner else { return nil }
            customer = owner
        }
        return customer
    }
}
