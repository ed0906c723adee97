import Foundation
import TuttiDomain

/// Makes the connector for a channel's configuration.
public enum Connectors {
    /// The connector that sends as `configuration` says; `clock` dates webhook signatures and
    /// mail `Date` headers (tests pin it).
    public static func connector(
        for configuration: ChannelConfiguration, clock: @escaping @Sendable () -> Date = { Date() }
    ) -> any Connector {
        switch configuration {
        case .webhook(let c): WebhookConnector(configuration: c, clock: clock)
        case .smtp(let c): SMTPConnector(configuration: c, clock: clock)
        case .ses(let c): SESConnector(configuration: c)
        case .sns(let c): SNSConnector(configuration: c)
        case .twilio(let c): TwilioConnector(configuration: c)
        case .sendgrid(let c): SendGridConnector(configuration: c)
        case .mastodon(let c): MastodonConnector(configuration: c)
        }
    }
}
