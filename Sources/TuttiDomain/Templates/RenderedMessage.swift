/// A template rendered for one customer and one channel, in the locale that was chosen: what a
/// worker sends and what the message records.
public struct RenderedMessage: Sendable, Hashable {
    /// The rendered parts of the channel.
    public enum Parts: Sendable, Hashable {
        case email(subject: String?, preheader: String?, html: String?, text: String?)
        case sms(text: String, segments: SMSSegments)
        case push(title: String?, body: String?, url: String?)
        case social(text: String)
        /// The rendered object, sent by the webhook connector as `content.data`.
        case webhook(data: JSONValue)
    }

    public var channel: TemplateChannel
    /// The tag of the translation used: a key of the template's `locales`, or its default.
    public var locale: String
    public var parts: Parts
    /// Things worth a look that did not stop rendering (an SMS over the segment limit).
    public var warnings: [TemplateWarning]

    public init(channel: TemplateChannel, locale: String, parts: Parts, warnings: [TemplateWarning] = []) {
        self.channel = channel
        self.locale = locale
        self.parts = parts
        self.warnings = warnings
    }
}

extension RenderedMessage {
    /// The parts as a gateway takes them: subject, text, HTML and data. A push's title is the
    /// subject, its body the text and its URL `data.url`.
    public var content: MessageContent {
        switch parts {
        case .email(let subject, _, let html, let text): MessageContent(subject: subject, text: text, html: html)
        case .sms(let text, _), .social(let text): MessageContent(text: text)
        case .push(let title, let body, let url):
            MessageContent(subject: title, text: body, data: url.map { .object(["url": .string($0)]) })
        case .webhook(let data): MessageContent(data: data)
        }
    }
}
