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
    /// The events the request tried to store, replays included (the insert skipped those):
    /// what triggered campaigns fire on (``TenantSession/triggerFire(_:)`` keeps only the
    /// events this transaction stored).
    public var events: [CustomerEvent] = []
}

extension TenantSession {
    /// Stores Segment messages: `identify` and `alias` update profiles (and may merge
    /// customers); every message lands on its customer's timeline; messages whose `messageId`
    /// was seen before are skipped. The identity lookups for the whole batch take one query, the
    /// events one insert, and the replay check one query when some message writes to a profile.
    /// Profile writes go in bulk where order cannot matter (``ingestWriteProfiles(_:landing:owners:requestID:)``).
    public func ingest(_ messages: [IngestMessage], receivedAt: Date, requestID: String?) async throws -> IngestResult {
        // Filtered copies only when something is filtered out: copying a message retains each
        // of its strings and dictionaries, and the usual batch has no repeats or replays.
        var seenInBatch: Set<String> = []
        seenInBatch.reserveCapacity(messages.count)
        let repeated = messages.indices.filter { index in messages[index].message.messageID.map { !seenInBatch.insert($0).inserted } ?? false }
        var unique = messages
        if !repeated.isEmpty { unique.removeSubranges(RangeSet(repeated, within: messages)) }
        let owners = try await customerIDs(for: Array(Set(unique.flatMap { $0.identities + ((try? $0.message.aliasCandidates()) ?? []) })))
        // A replay must be skipped before it writes to a profile; one that only adds an event is
        // skipped by the insert itself (its message id is already stored), so only messages
        // that may write are checked here, and a batch of known customers needs no check at all.
        // Owners only grow and merge while the batch is written, so a message that needs no
        // write now needs none later; an alias is the exception (which of its candidates are
        // known decides its identities), so aliases are always checked.
        let landing = unique.map { $0.message.kind == .alias ? nil : Self.existingCustomer($0.identities, $0.attributes, owners) }
        let stored = try await eventMessageIDsSeen(unique.indices.compactMap { landing[$0] == nil ? unique[$0].message.messageID : nil })
        var fresh = unique, freshLanding = landing
        if !stored.isEmpty {
            let replayed = unique.indices.filter { unique[$0].message.messageID.map(stored.contains) ?? false }
            fresh.removeSubranges(RangeSet(replayed, within: unique))
            freshLanding.removeSubranges(RangeSet(replayed, within: landing))
        }
        var duplicates = messages.count - fresh.count

        let written = try await ingestWriteProfiles(fresh, landing: freshLanding, owners: owners, requestID: requestID)
        var events: [CustomerEvent] = []
        events.reserveCapacity(fresh.count)
        var ids = SplitMix64.systemSeeded()
        for (index, item) in fresh.enumerated() {
            let message = item.message
            // Written, or (needing no write) known before the batch, possibly since merged away.
            guard let landed = written.customers[index] ?? freshLanding[index] else {
                throw IngestionInvariantError(messageIndex: index)
            }
            var context = message.context
            if context["traits"] == nil, message.kind != .identify, !message.traits.isEmpty { context["traits"] = .object(message.traits) }
            events.append(CustomerEvent(
                id: UUID.v7(at: receivedAt, using: &ids), customerID: written.survivor(of: landed),
                kind: CustomerEvent.Kind(rawValue: message.kind.rawValue) ?? .track,
                name: message.eventName, properties: message.eventProperties(), context: context,
                channel: message.channel, messageID: message.messageID, occurredAt: message.occurredAt(receivedAt: receivedAt)))
        }
        let inserted = try await eventInsert(events)
        duplicates += events.count - inserted
        return IngestResult(stored: inserted, duplicates: duplicates, merges: written.merges, events: events)
    }

    /// Writes the profiles of the messages of `fresh` that need it: those without a customer
    /// in `landing` (see ``existingCustomer(_:_:_:)``), given the owners of their identities
    /// before the batch.
    ///
    /// Order matters only between messages that name a common identity or customer, and for
    /// aliases, whose identities depend on which of their candidates are known when they are
    /// written. Every other write goes through the bulk path of imports
    /// (``importWrite(_:source:requestID:)``): a batch of a hundred new users costs a few
    /// statements rather than five round trips each. The rest are written one by one, in order.
    ///
    /// A message without attributes whose identities an earlier message of the batch writes (a
    /// new user's identify followed by their tracks) needs no write of its own: it lands where
    /// those identities end up. Only if they end up with different customers is it written
    /// (which merges them), after the others.
    private func ingestWriteProfiles(
        _ fresh: [IngestMessage], landing: [UUID?], owners: [Identity: UUID], requestID: String?
    ) async throws -> ProfileWrites {
        var claimed: Set<Identity> = [], ordered: Set<Identity> = [], orderedCustomers: Set<UUID> = []
        var writes: [Int] = [], followers: [Int] = []
        for (index, item) in fresh.enumerated() where landing[index] == nil {
            if item.message.kind != .alias, item.attributes.isEmpty, !item.identities.isEmpty,
                item.identities.allSatisfy({ claimed.contains($0) || owners[$0] != nil })
            {
                followers.append(index)
                continue
            }
            writes.append(index)
            claimed.formUnion(item.identities)
            guard item.message.kind == .alias else { continue }
            let named = item.identities + ((try? item.message.aliasCandidates()) ?? [])
            claimed.formUnion(named)
            ordered.formUnion(named)
            orderedCustomers.formUnion(named.compactMap { owners[$0] })
        }
        var bulk: [ImportRow] = [], oneByOne: [Int] = []
        for index in writes {
            let item = fresh[index]
            let touchesOrdered = item.identities.contains { ordered.contains($0) || owners[$0].map(orderedCustomers.contains) == true }
            if item.message.kind == .alias || touchesOrdered {
                oneByOne.append(index)
            } else {
                bulk.append(ImportRow(line: index, identities: item.identities, attributes: item.attributes))
            }
        }

        var result = ProfileWrites()
        var owners = owners
        if !bulk.isEmpty {
            let outcome = try await importWrite(bulk, source: Self.segmentSource, requestID: requestID)
            if let (_, identity) = outcome.erasedIdentities.min(by: { $0.key < $1.key }) { throw CustomerWriteError.erasedIdentity(identity) }
            result.customers = outcome.customers
            result.merges = outcome.merges
            for row in bulk { for identity in row.identities { owners[identity] = outcome.customers[row.line] } }
        }
        for index in oneByOne { owners.merge(try await ingestWriteOne(fresh[index], at: index, owners: owners, requestID: requestID, into: &result)) { $1 } }
        for index in followers {
            let item = fresh[index]
            var now: [Identity: UUID] = [:]
            for identity in item.identities { now[identity] = owners[identity].map(result.survivor(of:)) }
            if let customer = Self.existingCustomer(item.identities, item.attributes, now) {
                result.customers[index] = customer
            } else {
                owners.merge(try await ingestWriteOne(item, at: index, owners: owners, requestID: requestID, into: &result)) { $1 }
            }
        }
        return result
    }

    /// Writes one message's profile with ``customerWrite(_:requestID:)``; returns who now holds
    /// the identities it wrote.
    private func ingestWriteOne(
        _ item: IngestMessage, at index: Int, owners: [Identity: UUID], requestID: String?, into result: inout ProfileWrites
    ) async throws -> [Identity: UUID] {
        var identities = item.identities
        if item.message.kind == .alias, let candidates = try? item.message.aliasCandidates() {
            let known = candidates.filter { owners[$0] != nil }
            identities += known.isEmpty ? [candidates[0]] : known
        }
        let written = try await customerWrite(
            CustomerWrite(identities: identities, attributes: item.attributes, source: Self.segmentSource), requestID: requestID)
        result.customers[index] = written.customerID
        result.merges += written.merges
        return Dictionary(identities.map { ($0, written.customerID) }) { $1 }
    }

    /// The source that Segment ingestion stamps on the identities and attributes it writes.
    static let segmentSource = "segment"

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

/// What ``TenantSession/ingest(_:receivedAt:requestID:)`` wrote to profiles: the customer each
/// written message landed on (by its place in the batch) and the merges the writes made.
struct ProfileWrites {
    var customers: [Int: UUID] = [:]
    var merges: [CustomerMergeRecord] = []

    /// Where `customer` lives now: itself, or the customer the batch's merges folded it into.
    func survivor(of customer: UUID) -> UUID {
        var current = customer
        // Merges are few per batch; follow the chain (a merged survivor merged again), at most
        // once per merge.
        for _ in merges.indices {
            guard let next = merges.first(where: { $0.mergedID == current })?.survivorID else { break }
            current = next
        }
        return current
    }
}

/// A message of a Segment batch was neither written to a profile nor known to need no write:
/// a fault in ``TenantSession/ingest(_:receivedAt:requestID:)`` itself. The transaction rolls
/// back, so nothing of the batch is stored.
struct IngestionInvariantError: Error, CustomStringConvertible {
    var messageIndex: Int
    var description: String { "ingestion found no customer for message \(messageIndex) of the batch" }
}
