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
    /// Every event aggregate any offer's rule reads: loaded with the customer in one statement.
    var aggregates: Set<EventAggregate>
    var loadedAt: ContinuousClock.Instant

    init(placements: [Placement], offers: [Offer], loadedAt: ContinuousClock.Instant) {
        self.placements = Dictionary(placements.map { ($0.definition.name.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        var entries: [UUID: Entry] = [:]
        for offer in offers {
            var creative: [OfferChannel: [String: MustacheEngine.Compiled]] = [:]
            for (name, fields) in offer.definition.creative {
                guard let channel = OfferChannel(rawValue: name) else { continue }
                // Creative was checked when the offer was saved; a field that no longer compiles is left out.
                creative[channel] = fields.compactMapValues { try? MustacheEngine.compile($0, html: false) }
            }
            entries[offer.id] = Entry(offer: offer, candidate: OfferCandidate(offer), creative: creative)
        }
        self.offers = entries
        self.aggregates = Set(offers.flatMap { $0.eligibilityRule?.eventAggregates ?? [] })
        self.loadedAt = loadedAt
    }

    /// The placement's offers (its list, or every live offer), in id order.
    func candidates(for placement: PlacementDefinition) -> [Entry] {
        let entries = placement.offerIDs.map { ids in ids.compactMap { offers[$0] } } ?? Array(offers.values)
        return entries.sorted { $0.offer.id.uuidString < $1.offer.id.uuidString }
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

    /// The tenant's catalog, loaded when absent or older than ``maximumAge``.
    func catalog(_ tenantID: UUID, logger: Logger) async throws -> DecisionTenantCatalog {
        if let catalog = catalogs[tenantID], catalog.loadedAt.duration(to: .now) < Self.maximumAge { return catalog }
        let generation = generations[tenantID, default: 0]
        // A load begun before the last change may miss it: wait only for one begun since.
        if let load = loading[tenantID], load.generation == generation { return try await load.task.value }
        let database = self.database
        let task = Task {
            try await database.withTenant(tenantID, logger: logger) { session in
                let placements = try await session.placementsLive()
                let offers = try await session.offersLive()
                return DecisionTenantCatalog(placements: placements, offers: offers, loadedAt: .now)
            }
        }
        loading[tenantID] = (generation, task)
        defer { if loading[tenantID]?.generation == generation { loading[tenantID] = nil } }
        let catalog = try await task.value
        // A change made while loading may not be in what was read: keep it only if none was.
        if generations[tenantID, default: 0] == generation { catalogs[tenantID] = catalog }
        return catalog
    }

    /// Forgets the tenant's catalog: an offer or placement of it changed.
    func invalidate(_ tenantID: UUID) {
        catalogs[tenantID] = nil
        generations[tenantID, default: 0] += 1
    }
}
