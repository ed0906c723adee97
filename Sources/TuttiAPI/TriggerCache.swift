import Foundation
import Synchronization
import TuttiDomain
import TuttiStore

/// Each tenant's armed triggers by event name, remembered for ``ttl`` so that ingestion does
/// not read the campaigns table for every batch (docs/triggers.md, "How firing works").
///
/// Invalidation: a short TTL, and at once in this process when a campaign of the tenant is
/// launched, paused, resumed or cancelled here. Another API process sees the change within the
/// TTL. A stale entry can never fire a disarmed campaign: the firing statement checks the
/// campaign's state in the same transaction; staleness only delays a new trigger's arming by at
/// most the TTL in the other processes.
public final class TriggerCache: Sendable {
    /// How long a tenant's triggers are trusted.
    public static let ttl: Duration = .seconds(1)

    /// One tenant's armed triggers, indexed by the events that fire or exit them.
    struct Tenant: Sendable {
        var firing: [String: [ArmedTrigger]] = [:]
        var exiting: [String: [ArmedTrigger]] = [:]

        init(_ triggers: [ArmedTrigger]) {
            for armed in triggers {
                firing[armed.trigger.event, default: []].append(armed)
                for name in armed.trigger.exitEvents { exiting[name, default: []].append(armed) }
            }
        }

        var isEmpty: Bool { firing.isEmpty && exiting.isEmpty }
    }

    private struct Entry {
        var loadedAt: ContinuousClock.Instant
        var tenant: Tenant
    }

    private let entries = Mutex<[UUID: Entry]>([:])

    public init() {}

    /// The tenant's armed triggers, read in `session` when not remembered or older than the TTL.
    func triggers(tenant: UUID, session: TenantSession) async throws -> Tenant {
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[tenant] }), now - entry.loadedAt < Self.ttl { return entry.tenant }
        let loaded = Tenant(try await session.triggersArmed())
        entries.withLock { $0[tenant] = Entry(loadedAt: now, tenant: loaded) }
        return loaded
    }

    /// Forgets the tenant's triggers: a campaign of it changed state in this process.
    func invalidate(tenant: UUID) {
        _ = entries.withLock { $0.removeValue(forKey: tenant) }
    }
}
