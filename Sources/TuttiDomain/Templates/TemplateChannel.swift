/// The kinds of message a template has parts for. A campaign's channels (SMTP, Twilio, …) map
/// to one of these; an offer's creative for the same name is `offer.creative` when rendering.
public enum TemplateChannel: String, Sendable, Hashable, CaseIterable, Codable {
    case email, sms, push, social, webhook
}
