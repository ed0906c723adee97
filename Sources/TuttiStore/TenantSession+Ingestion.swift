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
    /// was seen before are skipped. The replay check and the identity lookups for the whole
    /// batch take one query, and the events one insert.
    public func ingest(_ messages: [IngestMessage], receivedAt: Date, requestID: String?) async throws -> IngestResult {
        var seenInBatch: Set<String> = []
        var unique: [IngestMessage] = []
        for message in messages {
            if let id = message.message.messageID {
                guard seenInBatch.insert(id).inserted else { continue }
            }
            unique.append(message)
        }
        // Owners are looked up for replays too (they are skipped below): one round trip
        // instead of two costs more than the few extra index probes.
        let lookup = try await ingestLookup(
            messageIDs: unique.compactMap(\.message.messageID),
            identities: Array(Set(unique.flatMap { $0.identities + ((try? $0.message.aliasCandidates()) ?? []) })))
        let fresh = unique.filter { $0.message.messageID.map { !lookup.seen.contains($0) } ?? true }
        var duplicates = messages.count - fresh.count

        var owners = lookup.owners
        var merges: [CustomerMergeRecord] = []
        var events: [CustomerEvent] = []
        for item in fresh {
            let message = item.message
            var identities = item.identities
            if message.kind == .alias, let candidates = try? message.aliasCandidates() {
                let known = candidates.filter { owners[$0] != nil }
                identities += known.isEmpty ? [candidates[0]] : known
            }
            let resolved = Set(identities.compactMap { owners[$0] })
            let customerID: UUID
            if resolved.count == 1, identities.allSatisfy({ owners[$0] != nil }), item.attributes.isEmpty, let only = resolved.first {
                customerID = only
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
}
