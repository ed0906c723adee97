/// The kinds of message an offer has creative for, and the `channel` arbitration is asked
/// about. A kind, not a gateway: an SMS creative is the same whether Twilio or SNS sends it,
/// so a campaign maps its channel's gateway type with ``init(gateway:)``.
///
/// The template kinds (``TemplateChannel``) plus the inbound channels that ask for real-time
/// decisions: `web` (the tenant's site), `app`, `call_center` (an agent's screen) and `pos`
/// (a till). They have creative but no template part.
public enum OfferChannel: String, Sendable, Hashable, CaseIterable, Codable {
    case email, sms, push, social, webhook, web, app
    case callCenter = "call_center"
    case pos

    /// The kind of message a gateway type sends.
    public init(gateway: ChannelType) {
        switch gateway {
        case .smtp, .ses, .sendgrid: self = .email
        case .sns, .twilio: self = .sms
        case .mastodon: self = .social
        case .webhook: self = .webhook
        }
    }

    /// The template part of the same kind, when there is one (`web` has none).
    public var templateChannel: TemplateChannel? { TemplateChannel(rawValue: rawValue) }
}
