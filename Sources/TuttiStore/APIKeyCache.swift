import Foundation
import Synchronization
import TuttiDomain

/// API keys this process has recently seen authenticate, so that a request does not pay a
/// database round trip to learn again whom it speaks for.
///
/// How it keeps a revoked key from getting through (docs/tenancy.md, "Caching authentication"):
/// - Only positive answers are kept, under the key's prefix together with the SHA-256 of its
///   secret. A token with another secret never matches; it goes to the database.
/// - Entries are served only while ``isListening``: while this process holds a LISTEN on
///   ``APIKeyNotification/channel``, a revocation reaches ``evict(_:)`` moments after it
///   commits. When the subscription drops, everything is forgotten and nothing is kept until it
///   is back, because notifications sent in between are lost.
/// - An entry lives at most ``ttl`` from the moment its database answer was asked for: the
///   bound when a notification is lost without the connection noticing (a half-open TCP
///   connection to a remote server).
/// - Every eviction and every change of subscription advances a generation, and an answer asked
///   for before it is not stored: it may predate the revocation that caused the eviction.
public final class APIKeyCache: Sendable {
    /// Taken before asking the database; ``store(_:prefix:secretHash:admission:)`` needs it.
    public struct Admission: Sendable {
        fileprivate let generation: UInt64
        fileprivate let askedAt: ContinuousClock.Instant
    }

    private struct Entry {
        var secretHash: Data
        var principal: Principal
        var expiresAt: ContinuousClock.Instant
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var generation: UInt64 = 0
        var isListening = false
    }

    /// The longest an entry is served without asking the database again.
    public let ttl: Duration
    /// Entries kept at most; beyond it expired ones go, and if none has, all do.
    public let capacity: Int
    private let state = Mutex(State())

    public init(ttl: Duration, capacity: Int = 10_000) {
        self.ttl = ttl
        self.capacity = capacity
    }

    /// Whether revocations are being heard, and so whether entries may be served.
    public var isListening: Bool { state.withLock { $0.isListening } }

    /// The principal of a key seen before, if it is still fresh and `secretHash` matches.
    public func principal(prefix: String, secretHash: Data, now: ContinuousClock.Instant = .now) -> Principal? {
        state.withLock { state in
            guard state.isListening, let entry = state.entries[prefix] else { return nil }
            guard now < entry.expiresAt else {
                state.entries[prefix] = nil
                return nil
            }
            return Self.equalInConstantTime(entry.secretHash, secretHash) ? entry.principal : nil
        }
    }

    /// Permission to store the answer of a database lookup about to start; nil while not listening.
    public func admission(now: ContinuousClock.Instant = .now) -> Admission? {
        state.withLock { $0.isListening ? Admission(generation: $0.generation, askedAt: now) : nil }
    }

    /// Remembers a database answer, unless something was evicted since `admission` was given.
    public func store(_ principal: Principal, prefix: String, secretHash: Data, admission: Admission) {
        state.withLock { state in
            guard state.isListening, state.generation == admission.generation else { return }
            if state.entries.count >= capacity {
                let now = ContinuousClock.now
                state.entries = state.entries.filter { $0.value.expiresAt > now }
                if state.entries.count >= capacity { state.entries.removeAll() }
            }
            state.entries[prefix] = Entry(secretHash: secretHash, principal: principal, expiresAt: admission.askedAt + ttl)
        }
    }

    /// Forgets what a notification (or this process's own revocation) names.
    public func evict(_ notification: APIKeyNotification) {
        state.withLock { state in
            state.generation &+= 1
            switch notification {
            case .key(let prefix): state.entries[prefix] = nil
            case .tenant(let tenantID): state.entries = state.entries.filter { $0.value.principal.tenantID != tenantID }
            }
        }
    }

    /// Records whether the LISTEN is in place; either way, everything known so far is forgotten.
    public func setListening(_ listening: Bool) {
        state.withLock { state in
            state.generation &+= 1
            state.entries.removeAll()
            state.isListening = listening
        }
    }

    /// Compares two hashes without stopping at the first difference, so that timing tells an
    /// attacker nothing about how much of a guess was right.
    private static func equalInConstantTime(_ a: Data, _ b: Data) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
