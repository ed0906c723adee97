/// The typed settings of one channel, secrets included (in memory only: they are encrypted
/// before they reach the database and masked before they reach a client).
public enum ChannelConfiguration: Sendable, Hashable {
    case webhook(WebhookChannelConfiguration)
    case smtp(SMTPChannelConfiguration)
    case ses(SESChannelConfiguration)
    case sns(SNSChannelConfiguration)
    case twilio(TwilioChannelConfiguration)
    case sendgrid(SendGridChannelConfiguration)
    case mastodon(MastodonChannelConfiguration)

    /// The channel's type.
    public var type: ChannelType {
        switch self {
        case .webhook: .webhook
        case .smtp: .smtp
        case .ses: .ses
        case .sns: .sns
        case .twilio: .twilio
        case .sendgrid: .sendgrid
        case .mastodon: .mastodon
        }
    }

    /// Reads and checks the `config` object of a channel of `type`; throws every problem
    /// found, each naming its field (`config.url`).
    public init(type: ChannelType, fields: [String: JSONValue]) throws(ChannelConfigurationError) {
        var reader = ChannelConfigReader(fields)
        switch type {
        case .webhook: self = .webhook(WebhookChannelConfiguration(reading: &reader))
        case .smtp: self = .smtp(SMTPChannelConfiguration(reading: &reader))
        case .ses: self = .ses(SESChannelConfiguration(reading: &reader))
        case .sns: self = .sns(SNSChannelConfiguration(reading: &reader))
        case .twilio: self = .twilio(TwilioChannelConfiguration(reading: &reader))
        case .sendgrid: self = .sendgrid(SendGridChannelConfiguration(reading: &reader))
        case .mastodon: self = .mastodon(MastodonChannelConfiguration(reading: &reader))
        }
        reader.rejectUnknownFields(of: type)
        if !reader.errors.isEmpty { throw ChannelConfigurationError(errors: reader.errors) }
    }

    /// The names of the fields of `type` that are credentials: encrypted at rest, never shown.
    public static func secretFields(of type: ChannelType) -> [String] {
        switch type {
        case .webhook: WebhookChannelConfiguration.secretFields
        case .smtp: SMTPChannelConfiguration.secretFields
        case .ses: SESChannelConfiguration.secretFields
        case .sns: SNSChannelConfiguration.secretFields
        case .twilio: TwilioChannelConfiguration.secretFields
        case .sendgrid: SendGridChannelConfiguration.secretFields
        case .mastodon: MastodonChannelConfiguration.secretFields
        }
    }

    /// Every setting except the secrets, defaults filled in: what is stored as plain JSON.
    public var publicFields: [String: JSONValue] {
        switch self {
        case .webhook(let c): c.publicFields
        case .smtp(let c): c.publicFields
        case .ses(let c): c.publicFields
        case .sns(let c): c.publicFields
        case .twilio(let c): c.publicFields
        case .sendgrid(let c): c.publicFields
        case .mastodon(let c): c.publicFields
        }
    }

    /// The secret settings by field name: what is encrypted.
    public var secrets: [String: String] {
        switch self {
        case .webhook(let c): c.secrets
        case .smtp(let c): c.secrets
        case .ses(let c): c.aws.secrets
        case .sns(let c): c.aws.secrets
        case .twilio(let c): c.secrets
        case .sendgrid(let c): c.secrets
        case .mastodon(let c): c.secrets
        }
    }

    /// Rebuilds a configuration from its stored halves.
    public init(type: ChannelType, publicFields: [String: JSONValue], secrets: [String: String]) throws(ChannelConfigurationError) {
        var fields = publicFields
        for (name, value) in secrets { fields[name] = .string(value) }
        try self.init(type: type, fields: fields)
    }
}

/// Why a channel's `config` cannot be used; one entry per offending field.
public struct ChannelConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var errors: [ValidationError]

    public init(errors: [ValidationError]) {
        self.errors = errors
    }

    public var description: String { errors.map(\.description).joined(separator: "; ") }
}
