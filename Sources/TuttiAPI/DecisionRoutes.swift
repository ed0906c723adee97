import Foundation
import Hummingbird
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// `POST /v1/decisions`: the next best offers for one customer (or a visitor nobody knows) at
/// one placement, chosen by ``DecisionArbitration`` (the campaigns' ``OfferArbitration`` with
/// decline suppression, opt-outs and the placement's fallback around it) and rendered with the
/// channel's creative. docs/decisions.md tells the whole story.
///
/// The answer's path: the tenant's compiled offers and placements come from the
/// ``DecisionCatalog``; one tenant transaction resolves the customer (with the database's
/// time), loads their profile and exactly the event aggregates the offers' rules read in one
/// statement, and their grants and declines in another; a pooled offer chosen for a known
/// customer is given there too (``TenantSession/offersGive(_:)``, so the code is in the
/// answer). What was shown is recorded afterwards by the ``ImpressionRecorder``.
enum DecisionRoutes {
    /// What the transaction decided.
    private struct Decided: Sendable {
        var customerID: UUID?
        var attributes: [String: JSONValue]
        var shown: [DecisionArbitration.Shown]
        var codes: [UUID: String]
        var given: Set<UUID>
        var now: RuleTime
    }

    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        let database = dependencies.database
        let bodyLimit = dependencies.maxBodyBytes
        let engine = dependencies.decisions

        group.post("/decisions") { request, context -> Response in
            let principal = try context.require(.read)
            let input = try read(try await OfferInput.json(request, limit: bodyLimit))
            let catalog = try await engine.catalog.catalog(principal.tenantID, logger: context.logger)
            guard let placement = catalog.placements[input.placement.lowercased()] else {
                throw Problem.validation([.init(field: "placement", message: "names no placement of this tenant")])
            }
            guard placement.definition.channel == input.channel else {
                throw Problem.validation([
                    .init(field: "channel", message: "must be \(placement.definition.channel.rawValue), the placement's channel")
                ])
            }
            let limit = min(input.limit ?? placement.definition.limit, placement.definition.limit)
            let entries = catalog.candidates(for: placement.definition)
            let fallback = placement.definition.fallbackOfferID.flatMap { catalog.offers[$0] }
            var anonymousKey = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
            if case .anonymous(let anonymousID) = input.customer { anonymousKey = DecisionArbitration.anonymousKey(anonymousID) }

            let decided = try await database.withTenant(principal.tenantID, logger: context.logger) { session -> Decided in
                let (customerID, now) = try await session.decisionCustomerResolve(input.customer)
                var known: DecisionArbitration.Known?
                var attributes: [String: JSONValue] = [:]
                if let customerID,
                    let subject = try await session.loadRuleSubject(
                        customerID: customerID, aggregates: catalog.aggregates, now: now)
                {
                    var offerIDs = entries.map(\.offer.id)
                    if let fallback { offerIDs.append(fallback.offer.id) }
                    let history = try await session.decisionHistory(customerID: customerID, offerIDs: offerIDs, now: now.date)
                    let optedOut =
                        input.channel.consentChannel.map { subject.consents[ConsentKey(channel: $0)] == .optedOut } ?? false
                    known = DecisionArbitration.Known(
                        customer: OfferArbitration.Customer(id: customerID, subject: subject, grants: history.grants),
                        suppressed: history.suppressed, optedOut: optedOut)
                    attributes = subject.attributes
                }
                var shown = DecisionArbitration.decide(
                    entries.map(\.candidate), known: known, anonymousKey: anonymousKey, context: input.context,
                    channel: input.channel, fallback: fallback?.candidate, now: now, limit: limit)
                var codes: [UUID: String] = [:]
                var given = Set<UUID>()
                // A unique code is given when it is shown: the answer carries it (see docs/decisions.md).
                let pooled = shown.filter { catalog.offers[$0.offerID]?.offer.hasCodePool == true }
                if let known, !pooled.isEmpty {
                    let outcomes = try await session.offersGive(
                        pooled.map { OfferGrantRequest(offerID: $0.offerID, customerID: known.customer.id) })
                    for (entry, outcome) in zip(pooled, outcomes) {
                        if case .given(let code) = outcome, let code {
                            codes[entry.offerID] = code
                            given.insert(entry.offerID)
                        } else {
                            shown.removeAll { $0.offerID == entry.offerID }
                        }
                    }
                }
                return Decided(
                    customerID: known?.customer.id, attributes: attributes, shown: shown, codes: codes, given: given, now: now)
            }

            let decisionID = UUID.v7()
            var offers: [DecisionOfferResource] = []
            var recorded: [DecisionRecord.Shown] = []
            for shown in decided.shown {
                guard let entry = catalog.offers[shown.offerID] else { continue }
                let code = decided.codes[shown.offerID] ?? entry.offer.definition.code
                offers.append(
                    DecisionOfferResource(
                        offerID: shown.offerID, code: code, score: shown.score, reason: shown.reason,
                        content: DecisionContent.render(
                            entry, channel: input.channel, code: code, customerID: decided.customerID,
                            attributes: decided.attributes, context: input.context)))
                recorded.append(
                    DecisionRecord.Shown(
                        offerID: shown.offerID, code: code, score: shown.score, given: decided.given.contains(shown.offerID)))
            }
            var anonymousID: String?
            if decided.customerID == nil, case .anonymous(let id) = input.customer { anonymousID = id }
            engine.recorder.append(
                DecisionRecord(
                    id: decisionID, customerID: decided.customerID, anonymousID: anonymousID, placementID: placement.id,
                    placementName: placement.definition.name, channel: input.channel, shown: recorded, decidedAt: decided.now.date
                ),
                tenantID: principal.tenantID)
            return try JSONResponse.make(
                .ok,
                DecisionResource(
                    decisionID: decisionID, customerID: decided.customerID, placement: placement.definition.name,
                    channel: input.channel.rawValue, decidedAt: decided.now.date, offers: offers))
        }
    }

    /// The checked request, or a 422 naming every wrong field.
    static func read(_ json: JSONValue) throws -> DecisionRequest {
        do throws(DecisionInputInvalid) {
            return try DecisionRequest.parse(json)
        } catch {
            throw Problem.validation(error.errors.map { .init(field: $0.field, message: $0.message) })
        }
    }
}

/// What `POST /v1/decisions` answers.
struct DecisionResource: Encodable {
    var decisionID: UUID
    var customerID: UUID?
    var placement: String
    var channel: String
    var decidedAt: Date
    var offers: [DecisionOfferResource]

    enum CodingKeys: String, CodingKey {
        case decisionID = "decision_id", customerID = "customer_id", placement, channel, decidedAt = "decided_at", offers
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(decisionID.lowercasedText, forKey: .decisionID)
        try container.encode(customerID?.lowercasedText, forKey: .customerID)
        try container.encode(placement, forKey: .placement)
        try container.encode(channel, forKey: .channel)
        try container.encode(decidedAt, forKey: .decidedAt)
        try container.encode(offers, forKey: .offers)
    }
}

/// One offer of a decision: what to show, and why it was chosen.
struct DecisionOfferResource: Encodable {
    var offerID: UUID
    var code: String
    var score: Double
    var reason: String
    var content: [String: String]

    enum CodingKeys: String, CodingKey {
        case offerID = "offer_id", code, score, reason, content
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(offerID.lowercasedText, forKey: .offerID)
        try container.encode(code, forKey: .code)
        try container.encode(score, forKey: .score)
        try container.encode(reason, forKey: .reason)
        try container.encode(content, forKey: .content)
    }
}
