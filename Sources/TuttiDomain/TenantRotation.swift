import Foundation

/// Round robin over the tenants that have ready work in one queue: the queue's fairness.
///
/// A round is one page of tenants with ready jobs, as the database lists them in tenant order;
/// each gets one claim (one batch) in turn, then the next page is read, starting after the last
/// tenant of this one, and after the last page from the first tenant again. A tenant with a
/// million ready jobs therefore gets one batch per round like a tenant with one: the other
/// tenant's job waits for at most one round, never behind the million.
///
/// A hint (a NOTIFY saying that a tenant has new ready work) adds the tenant to the current
/// round when it is not already waiting in it, so a worker that was idle serves it at once.
/// Pure state: the caller asks the database and claims (TuttiQueue's `queueNextTenant`).
public struct TenantRotation: Sendable {
    /// Tenants read per discovery query; a round serves at most this many.
    public let pageSize: Int
    private var round: [UUID] = []
    private var position = 0
    private var waiting: Set<UUID> = []
    private var pageCursor: UUID?

    public init(pageSize: Int = 1000) {
        precondition(pageSize > 0, "a rotation page holds at least one tenant")
        self.pageSize = pageSize
    }

    /// True when every tenant of the round has had its turn: read the next page.
    public var needsRefill: Bool { position >= round.count }

    /// Where the next page of ready tenants starts: after this tenant, or from the first when nil.
    public var discoveryCursor: UUID? { pageCursor }

    /// Starts a new round with `tenants`, the page of ready tenants read after
    /// ``discoveryCursor`` (in tenant order). A short page was the last one: the next round
    /// starts from the first tenant again.
    public mutating func refill(with tenants: [UUID]) {
        round = tenants
        position = 0
        waiting = Set(tenants)
        pageCursor = tenants.count >= pageSize ? tenants.last : nil
    }

    /// The tenant to claim for next, or nil when the round is over (see ``needsRefill``).
    public mutating func next() -> UUID? {
        guard position < round.count else { return nil }
        let tenant = round[position]
        position += 1
        waiting.remove(tenant)
        return tenant
    }

    /// Notes that `tenant` has new ready work: it joins the current round unless it is still
    /// waiting for its turn in it.
    public mutating func hint(_ tenant: UUID) {
        guard !waiting.contains(tenant) else { return }
        if position > 0, position >= round.count {
            // The round is over; start a fresh one rather than growing a finished array.
            round.removeAll(keepingCapacity: true)
            position = 0
        }
        round.append(tenant)
        waiting.insert(tenant)
    }
}
