/// The kinds of gateway a channel can send through; the `type` of a channel in the API.
public enum ChannelType: String, Sendable, Hashable, CaseIterable, Codable {
    /// A signed JSON POST to the tenant's own endpoint (Standard Webhooks).
    case webhook
    /// Mail through any SMTP relay.
    case smtp
    /// Mail through Amazon SES v2.
    case ses
    /// SMS through Amazon SNS.
    case sns
    /// SMS through Twilio's Messages API.
    case twilio
    /// Mail through SendGrid's v3 API.
    case sendgrid
    /// Direct messages on a Mastodon-compatible server.
    case mastodon

    /// What a recipient of this type is: the identity type a delivery's recipient is taken
    /// from, or nil for webhooks (the endpoint is the channel's own URL).
    public var recipientIdentity: String? {
        switch self {
        case .webhook: nil
        case .smtp, .ses, .sendgrid: "email"
        case .sns, .twilio: "phone"
        case .mastodon: "mastodon"
        }
    }
}
