import Foundation
import Logging
import TuttiDomain
import TuttiStore
import TuttiTemplates

/// One tenant's placements and live offers as the decision path needs them, compiled once:
/// each offer's arbitration candidate (its eligibility rule compiled for the in-memory
/// evaluator) and its creative's Mustache templates per channel.
struct DecisionTenantCatalog: Sendable {
    /// An offer, ready to be weighed and rendered.
    struct Entry: Sendable {
        var offer: Offer
        var candidate: OfferCandidate
        /// Creative field name → compiled template, per channel with creative.
        var creative: [OfferChannel: [String: MustacheEngine.Compiled]]
    }

    var placements: [String: Placement]
    var offers: [UUID: Entry]
    /// Every offer in id order (offersLive's order): a placement's candidates keep it.
    var ordered: [Entry]
    /// Every event aggregate any offer's rule reads: loaded with the customer in one statement.
    var aggregates: Set<EventAggregate>
    var loadedAt: ContinuousClock.Instant

    init(placements: [Placement], offers: [Offer], loadedAt: ContinuousClock.Instant) {
        self.placements = Dictionary(placements.map { ($0.definition.name.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        var entries: [UUID: Entry] = [:]
        var ordered: [Entry] = []
        for offer in offers {
            var creative: [OfferChannel: [String: MustacheEngine.Compiled]] = [:]
            for (name, fields) in offer.definition.creative {
                guard let channel = OfferChannel(rawValue: name) else { continue }
                // Creative was checked when the offer was saved; a field that no longer compiles is left out.
                creative[channel] = fields.compactMapValues { try? MustacheEngine.compile($0, html: false) }
            }
            let entry = Entry(offer: offer, candidate: OfferCandidate(offer), creative: creative)
            entries[offer.id] = entry
            ordered.append(entry)
        }
        self.offers = entries
        self.ordered = ordered
        self.aggregates = Set(offers.flatMap { $0.eligibilityRule?.eventAggregates ?? [] })
        self.loadedAt = loadedAt
    }

    /// The placement's offers (its list, or every live offer), in id order.
    func candidates(for placement: PlacementDefinition) -> [Entry] {
        guard let ids = placement.offerIDs else { return ordered }
        let wanted = Set(ids)
        return ordered.filter { wanted.contains($0.offer.id) }
    }
}

/// Per-tenant ``DecisionTenantCatalog``s, kept for ``maximumAge`` and dropped at once when this
/// process changes an offer or a placement (``invalidate(_:)``); another API process's change
/// is seen within ``maximumAge``. Within that age an offer's counters (times given, codes left)
/// may lag: `total_cap` can be passed by what that second shows, while unique codes cannot
/// (``TenantSession/offersGive(_:)`` checks the pool under its lock when a code is given).
///
/// One load per tenant at a time: concurrent decisions of a tenant whose catalog is stale wait
/// for the same load instead of each loading it.
actor DecisionCatalog {
    static let maximumAge: Duration = .seconds(1)

    private var catalogs: [UUID: DecisionTenantCatalog] = [:]
    private var loading: [UUID: (generation: Int, task: Task<DecisionTenantCatalog, any Error>)] = [:]
    private var generations: [UUID: Int] = [:]
    private let database: Database

    init(database: Database) {
        self.database = database
    }

    /// The tenant's catalog. Absent (never loaded, or invalidated by a change here): loaded,
    /// and the caller waits. Older than ``maximumAge``: answered as it is while one reload runs
    /// beside the requests (so no decision waits for a reload: the whole tenant would, once a
    /// second).
    func catalog(_ tenantID: UUID, logger: Logger) async throws -> DecisionTenantCatalog {
        let generation = generations[tenantID, default: 0]
        if let catalog = catalogs[tenantID] {
            if catalog.loadedAt.duration(to: .now) >= Self.maximumAge, loading[tenantID]?.generation != generation {
                _ = load(tenantID, generation: generation, logger: logger)
            }
            return catalog
        }
        // A load begun before the last change may miss it: wait only for one begun since.
        if let load = loading[tenantID], load.generation == generation { return try await load.task.value }
        return try await load(tenantID, generation: generation, logger: logger).value
    }

    /// Starts loading the tenant's catalog; the result is kept if no change came meanwhile.
    private func load(_ tenantID: UUID, generation: Int, logger: Logger) -> Task<DecisionTenantCatalog, any Error> {
        let database = self.database
        let task = Task {
            do {
                let catalog = try await database.withTenant(tenantID, logger: logger) { session in
                    let placements = try await session.placementsLive()
                    let offers = try await session.offersLive()
                    return DecisionTenantCatalog(placements: placements, offers: offers, loadedAt: .now)
                }
                self.finish(tenantID, generation: generation, catalog: catalog)
                return catalog
            } catch {
                // The next request tries again (the stale catalog, if any, is kept meanwhile).
                self.finish(tenantID, generation: generation, catalog: nil)
                throw error
            }
        }
        loading[tenantID] = (generation, task)
        return task
    }

    private func finish(_ tenantID: UUID, generation: Int, catalog: DecisionTenantCatalog?) {
        if loading[tenantID]?.generation == generation { loading[tenantID] = nil }
        // A change made while loading may not be in what was read: keep it only if none was.
        if let catalog, generations[tenantID, default: 0] == generation { catalogs[tenantID] = catalog }
    }

    /// Forgets the tenant's catalog: an offer or placement of it changed.
    func invalidate(_ tenantID: UUID) {
        catalogs[tenantID] = nil
        generations[tenantID, default: 0] += 1
    }
}
