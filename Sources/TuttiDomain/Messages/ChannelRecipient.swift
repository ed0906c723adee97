/// What a message on a channel type is addressed to: the identity type its recipient comes
/// from and the consent channel that must not be opted out. Webhooks need neither.
public struct ChannelRecipient: Sendable, Hashable {
    public var identityType: String
    public var consentChannel: ConsentChannel

    /// The recipient kind for `channelType` (`webhook`, `smtp`, `ses`, `sns`, `twilio`,
    /// `sendgrid`, `mastodon`), or nil when the channel sends to its own endpoint.
    public static func of(channelType: String) -> ChannelRecipient? {
        switch channelType {
        case "smtp", "ses", "sendgrid": ChannelRecipient(identityType: "email", consentChannel: .email)
        case "sns", "twilio": ChannelRecipient(identityType: "phone", consentChannel: .sms)
        case "mastodon": ChannelRecipient(identityType: "mastodon", consentChannel: .social)
        default: nil
        }
    }
}
