import Crypto
import Foundation
import TuttiDomain
import TuttiStore

/// The unsubscribe and preference links of campaign messages (docs/closed-loop.md,
/// "Unsubscribe"): `TUTTI_PUBLIC_URL/u/{token}` and `TUTTI_PUBLIC_URL/p/{token}`, signed with
/// the tenant's link key (``LinkToken``). One HMAC per link; the key is read once per tenant
/// and process (``LinkKeyCache``), so a batch costs no round trip for its links.
struct CampaignLinks: Sendable {
    /// `TUTTI_PUBLIC_URL`, without a trailing slash.
    let baseURL: String
    let keys: LinkKeyCache

    /// What one message's links are.
    struct Links: Sendable {
        var template: TemplateLinks
        var headers: UnsubscribeLinks
    }

    /// The links of `message`; the preference link expires `preferenceLinkDays` after `now`.
    func links(for message: CampaignMessageToPrepare, tenant: UUID, key: SymmetricKey, now: Date) -> Links {
        let unsubscribe = LinkToken.unsubscribe(
            tenantID: tenant, customerID: message.customerID, messageID: message.messageID, topic: message.topic
        ).signed(with: key)
        let preferences = LinkToken.preferences(
            tenantID: tenant, customerID: message.customerID,
            expires: now.addingTimeInterval(Double(message.preferenceLinkDays) * 86400)
        ).signed(with: key)
        let unsubscribeURL = "\(baseURL)/u/\(unsubscribe)"
        return Links(
            template: TemplateLinks(unsubscribe: unsubscribeURL, preferences: "\(baseURL)/p/\(preferences)"),
            headers: UnsubscribeLinks(oneClickURL: unsubscribeURL))
    }
}
