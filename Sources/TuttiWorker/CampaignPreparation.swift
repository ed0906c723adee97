import Foundation
import Logging
import TuttiDomain
import TuttiQueue
import TuttiStore
import TuttiTemplates

/// Prepares a claimed batch's campaign messages for sending, in one transaction, before the
/// batch is sent (docs/campaigns.md, "Sending"):
///
/// - a message of a cancelled campaign ends `skipped` (`cancelled`); one of a paused campaign
///   waits (its job is postponed by ``pausedRetry``) and is sent once the campaign resumes;
/// - a message past its `expires_at` ends `skipped` (`expired`): no stale sends after an outage;
/// - a message whose customer opted out of its channel or its campaign's topic since the
///   audience was built ends `skipped` (`opted-out`), read in the same statement;
/// - the others are rendered with the template version the campaign pinned at launch, for the
///   customer as they are now: offers arbitrated (``OfferArbitration``) and given (with a code
///   from the pool, ``TenantSession/offersGive(_:)``), conditions evaluated, the part of the
///   channel's kind in the customer's locale. What was rendered is recorded on the message, so
///   a retry sends exactly the same and never gives a second code.
///
/// Messages that are not campaign messages pass through untouched, at no cost: the claim
/// says which messages belong to a campaign.
struct CampaignPreparation: Sendable {
    /// How long a paused campaign's messages wait before they are looked at again.
    static let pausedRetry: Duration = .seconds(30)

    let database: Database
    let templates: TemplateVersionCache
    /// The unsubscribe and preference links each message carries (docs/closed-loop.md).
    let links: CampaignLinks
    let logger: Logger

    func prepare(_ batch: DeliveryBatch) async throws -> DeliveryBatch {
        let campaignMessages = batch.deliveries.compactMap { $0.message?.campaignID == nil ? nil : $0.message?.id }
        guard !campaignMessages.isEmpty else { return batch }
        let leases = Dictionary(
            batch.deliveries.compactMap { delivery in delivery.message.map { ($0.id, delivery.job.lease) } },
            uniquingKeysWith: { first, _ in first })
        let prepared = try await database.withTenant(batch.tenantID, logger: logger) { session in
            try await prepare(campaignMessages, leases: leases, tenant: batch.tenantID, session: session)
        }
        var kept = batch
        kept.deliveries = batch.deliveries.compactMap { delivery in
            guard let message = delivery.message, message.campaignID != nil else { return delivery }
            if prepared.withdrawn.contains(message.id) { return nil }
            var delivery = delivery
            if let content = prepared.rendered[message.id] { delivery.message?.content = content }
            delivery.message?.unsubscribe = prepared.unsubscribe[message.id]
            return delivery
        }
        return kept
    }

    /// What preparing a batch's campaign messages decided.
    private struct Prepared: Sendable {
        /// The content rendered for each message rendered now.
        var rendered: [UUID: MessageContent] = [:]
        /// Messages that are not sent in this batch (ended or postponed).
        var withdrawn: Set<UUID> = []
        /// The `List-Unsubscribe` targets of each message sent.
        var unsubscribe: [UUID: UnsubscribeLinks] = [:]
    }

    private func prepare(
        _ messageIDs: [UUID], leases: [UUID: QueueLease], tenant: UUID, session: TenantSession
    ) async throws -> Prepared {
        var prepared = Prepared()
        var unsent: [UnsentMessage] = []
        var postponed: [QueuePostponement] = []
        var toRender: [CampaignMessageToPrepare] = []
        var pausedMessages: [UUID] = []
        var toSend: [CampaignMessageToPrepare] = []
        for message in try await session.campaignMessagesToPrepare(messageIDs) {
            guard let lease = leases[message.messageID] else { continue }
            switch message.campaignState {
            case "cancelled":
                unsent.append(UnsentMessage(lease: lease, messageID: message.messageID, reason: "cancelled"))
            case "paused":
                postponed.append(QueuePostponement(lease: lease, delay: Self.pausedRetry))
                pausedMessages.append(message.messageID)
            case _ where message.expired:
                unsent.append(UnsentMessage(lease: lease, messageID: message.messageID, reason: "expired"))
            case _ where message.optedOut:
                unsent.append(UnsentMessage(lease: lease, messageID: message.messageID, reason: "opted-out"))
            case _ where message.rendered:
                toSend.append(message)
            default:
                toSend.append(message)
                toRender.append(message)
            }
        }
        var messageLinks: [UUID: CampaignLinks.Links] = [:]
        if !toSend.isEmpty {
            let key = try await links.keys.key(session: session)
            let now = Date()
            for message in toSend {
                let made = links.links(for: message, tenant: tenant, key: key, now: now)
                messageLinks[message.messageID] = made
                prepared.unsubscribe[message.messageID] = made.headers
            }
        }
        if !toRender.isEmpty {
            let now = try await session.databaseNow()
            var renderer = try await CampaignRenderer.load(
                for: toRender, tenant: tenant, templates: templates, now: now, session: session)
            try await renderer.giveOffers(toRender, session: session)
            var rendered: [RenderedCampaignMessage] = []
            for message in toRender {
                guard let lease = leases[message.messageID] else { continue }
                switch renderer.render(message, links: messageLinks[message.messageID]?.template ?? TemplateLinks()) {
                case .success(let result): rendered.append(result)
                case .failure(let reason):
                    unsent.append(UnsentMessage(lease: lease, messageID: message.messageID, reason: reason.text))
                }
            }
            try await session.campaignMessagesRendered(rendered)
            for message in rendered { prepared.rendered[message.messageID] = message.content }
        }
        try await session.messagesEndUnsent(unsent)
        try await session.queuePostpone(postponed)
        prepared.withdrawn.formUnion(unsent.map(\.messageID))
        prepared.withdrawn.formUnion(pausedMessages)
        if !unsent.isEmpty {
            logger.info(
                "campaign messages ended unsent",
                metadata: ["tenant.id": "\(tenant.canonicalText)", "messages": "\(unsent.count)"])
        }
        return prepared
    }
}
