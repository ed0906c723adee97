import Foundation
import TuttiDomain
import TuttiStore
import TuttiTemplates

/// Renders one batch's campaign messages: everything they read is loaded up front in a few
/// statements (the pinned template versions, the campaigns' live offers, the customers with
/// exactly the event aggregates the conditions and eligibility rules read, and their grants
/// so far), then each message is decided in memory.
struct CampaignRenderer {
    /// Why a message is not sent; recorded on it as its `skip_reason`.
    enum Refusal: Error {
        case customerGone
        case templateMissing
        case noPart(TemplateChannel?)
        case noOffer
        case renderFailed(String)

        var text: String {
            switch self {
            case .customerGone: "customer_gone"
            case .templateMissing: "template_missing"
            case .noPart: "no_template_part"
            case .noOffer: "no_offer"
            case .renderFailed: "render_failed"
            }
        }
    }

    private var templates: [UUID: CompiledTemplate] = [:]
    private var offers: [UUID: Offer] = [:]
    private var customers: [UUID: (subject: RuleSubject, identities: [String: String])] = [:]
    private var grants: [OfferCustomerKey: Int] = [:]
    /// The offer given to each message's customer, once ``giveOffers(_:session:)`` ran.
    private var given: [UUID: (offer: Offer, code: String?)] = [:]
    private let now: RuleTime

    private init(now: RuleTime) {
        self.now = now
    }

    static func load(
        for messages: [CampaignMessageToPrepare], tenant: UUID, templates cache: TemplateVersionCache, now: RuleTime,
        session: TenantSession
    ) async throws -> CampaignRenderer {
        var renderer = CampaignRenderer(now: now)
        var aggregates: Set<EventAggregate> = []
        var byVersion: [TemplateVersionKey: CompiledTemplate?] = [:]
        for message in messages {
            guard let id = message.templateID, let version = message.templateVersion else { continue }
            let key = TemplateVersionKey(tenantID: tenant, templateID: id, version: version)
            if byVersion[key] == nil { byVersion[key] = .some(try await cache.compiled(key, session: session)) }
            if let compiled = byVersion[key] ?? nil {
                renderer.templates[message.messageID] = compiled
                aggregates.formUnion(compiled.conditions.eventAggregates)
            }
        }
        let offerIDs = Set(messages.flatMap { Self.offerIDs($0.offers) })
        if !offerIDs.isEmpty {
            for offer in try await session.offersLive(ids: Array(offerIDs)) {
                renderer.offers[offer.id] = offer
                if let rule = offer.eligibilityRule { aggregates.formUnion(rule.eventAggregates) }
            }
        }
        let customerIDs = Array(Set(messages.map(\.customerID)))
        renderer.customers = try await session.loadRuleSubjects(customerIDs: customerIDs, aggregates: aggregates, now: now)
        if !renderer.offers.isEmpty {
            renderer.grants = try await session.offerGrantCounts(offerIDs: Array(renderer.offers.keys), customerIDs: customerIDs)
        }
        return renderer
    }

    /// Chooses each message's offer (the best by ``OfferArbitration`` in `arbitrate` mode, the
    /// first eligible in the campaign's order in `fixed` mode) and gives them all in one batch
    /// (``TenantSession/offersGive(_:)``), which takes a code from the pool where the offer has
    /// one. An offer another giver exhausted meanwhile is simply not given.
    mutating func giveOffers(_ messages: [CampaignMessageToPrepare], session: TenantSession) async throws {
        var requests: [OfferGrantRequest] = []
        var requested: [UUID] = []
        for message in messages {
            let ids = Self.offerIDs(message.offers)
            guard !ids.isEmpty, let customer = customers[message.customerID],
                let gateway = ChannelType(rawValue: message.channelType)
            else { continue }
            var customerGrants: [UUID: Int] = [:]
            for id in ids { customerGrants[id] = grants[OfferCustomerKey(offerID: id, customerID: message.customerID)] }
            let candidates = ids.compactMap { offers[$0] }.map(OfferCandidate.init)
            let who = OfferArbitration.Customer(id: message.customerID, subject: customer.subject, grants: customerGrants)
            let channel = OfferChannel(gateway: gateway)
            let chosen: UUID?
            if Self.offerMode(message.offers) == "fixed" {
                chosen = candidates.first { OfferArbitration.exclusion(of: $0, for: who, channel: channel, now: now) == nil }?.id
            } else {
                chosen =
                    OfferArbitration.arbitrate(candidates, for: who, channel: channel, now: now, limit: 1).chosen.first?.offerID
            }
            guard let chosen else { continue }
            requests.append(OfferGrantRequest(offerID: chosen, customerID: message.customerID, messageID: message.messageID))
            requested.append(message.messageID)
        }
        guard !requests.isEmpty else { return }
        for (index, outcome) in try await session.offersGive(requests).enumerated() {
            guard case .given(let code) = outcome, let offer = offers[requests[index].offerID] else { continue }
            given[requested[index]] = (offer, code)
        }
    }

    /// The message rendered for its customer, or why it is not sent.
    func render(_ message: CampaignMessageToPrepare, links: TemplateLinks = TemplateLinks()) -> Result<
        RenderedCampaignMessage, Refusal
    > {
        guard let customer = customers[message.customerID] else { return .failure(.customerGone) }
        guard let template = templates[message.messageID] else { return .failure(.templateMissing) }
        let channel = ChannelType(rawValue: message.channelType).flatMap { OfferChannel(gateway: $0).templateChannel }
        guard let channel, template.template.parts.has(channel) else { return .failure(.noPart(channel)) }
        let offer = given[message.messageID]
        if offer == nil, Self.offerRequired(message.offers) { return .failure(.noOffer) }
        let locale = customer.subject.attributes["locale"]?.stringValue
        let context = TemplateContext(
            customerID: message.customerID.canonicalText, attributes: customer.subject.attributes,
            identities: customer.identities,
            // A pooled offer's unique code, else the offer's own code (docs/offers.md).
            offer: offer.map { $0.offer.templateOffer(code: $0.code) },
            conditions: template.conditions.evaluate(for: customer.subject, now: now),
            messageID: message.messageID.canonicalText, links: links)
        do {
            let rendered = try template.render(channel, context: context, locale: locale)
            return .success(
                RenderedCampaignMessage(
                    messageID: message.messageID, content: rendered.content, locale: rendered.locale, offerID: offer?.offer.id,
                    offerCode: offer.map { $0.code ?? $0.offer.definition.code }))
        } catch {
            return .failure(.renderFailed("\(error)"))
        }
    }

    /// The offer ids a campaign's `offers` names, in its order.
    private static func offerIDs(_ offers: JSONValue?) -> [UUID] {
        guard case .object(let fields)? = offers, case .array(let ids)? = fields["offer_ids"] else { return [] }
        return ids.compactMap { $0.stringValue.flatMap(UUID.init(uuidString:)) }
    }

    private static func offerMode(_ offers: JSONValue?) -> String {
        guard case .object(let fields)? = offers else { return "arbitrate" }
        return fields["mode"]?.stringValue ?? "arbitrate"
    }

    private static func offerRequired(_ offers: JSONValue?) -> Bool {
        guard case .object(let fields)? = offers, case .bool(let required)? = fields["required"] else { return false }
        return required
    }
}
