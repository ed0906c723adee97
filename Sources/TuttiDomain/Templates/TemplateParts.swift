/// The parts of a template for each channel; a channel without a part cannot be rendered.
public struct TemplateParts: Sendable, Hashable, Codable {
    public var email: EmailTemplatePart?
    public var sms: TextTemplatePart?
    public var push: PushTemplatePart?
    public var social: TextTemplatePart?
    public var webhook: WebhookTemplatePart?

    public init(
        email: EmailTemplatePart? = nil, sms: TextTemplatePart? = nil, push: PushTemplatePart? = nil,
        social: TextTemplatePart? = nil, webhook: WebhookTemplatePart? = nil
    ) {
        self.email = email
        self.sms = sms
        self.push = push
        self.social = social
        self.webhook = webhook
    }

    /// Whether there is a part for `channel`.
    public func has(_ channel: TemplateChannel) -> Bool {
        switch channel {
        case .email: email != nil
        case .sms: sms != nil
        case .push: push != nil
        case .social: social != nil
        case .webhook: webhook != nil
        }
    }
}

/// An e-mail: `html` is the only part written as HTML (and HTML-escaped when rendered); `text`
/// is derived from the rendered HTML when absent or empty.
public struct EmailTemplatePart: Sendable, Hashable, Codable {
    public var subject: String?
    public var preheader: String?
    public var html: String?
    public var text: String?

    public init(subject: String? = nil, preheader: String? = nil, html: String? = nil, text: String? = nil) {
        self.subject = subject
        self.preheader = preheader
        self.html = html
        self.text = text
    }
}

/// A message of plain text only: SMS and social posts.
public struct TextTemplatePart: Sendable, Hashable, Codable {
    public var text: String

    public init(text: String) {
        self.text = text
    }
}

/// A push notification.
public struct PushTemplatePart: Sendable, Hashable, Codable {
    public var title: String?
    public var body: String?
    public var url: String?

    public init(title: String? = nil, body: String? = nil, url: String? = nil) {
        self.title = title
        self.body = body
        self.url = url
    }
}

/// A webhook's `content.data`: any JSON, in which every string value is a template (keys are not).
public struct WebhookTemplatePart: Sendable, Hashable, Codable {
    public var data: JSONValue

    public init(data: JSONValue) {
        self.data = data
    }
}
