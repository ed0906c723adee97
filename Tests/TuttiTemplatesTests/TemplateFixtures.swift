import TuttiDomain
import TuttiTemplates

/// A template with every part reading the same values, and a customer named to need escaping.
enum TemplateFixtures {
    static let name = "{{customer.attributes.name}}"

    static let template = MessageTemplate(
        name: "Spring",
        parts: TemplateParts(
            email: EmailTemplatePart(
                subject: "Hi \(name)", preheader: name, html: "<p>Hi \(name) {{{customer.attributes.name}}}</p>"),
            sms: TextTemplatePart(text: "Hi \(name): {{offer.creative.text}} {{offer.code}}"),
            push: PushTemplatePart(title: name, body: "{{offer.creative.text}}", url: "https://x.test/{{customer.id}}"),
            social: TextTemplatePart(text: "@{{customer.identities.mastodon}} \(name)"),
            webhook: WebhookTemplatePart(
                data: .object([
                    "greeting": .string("Hi \(name)"), "count": .number(3),
                    "lines": .array([.string("{{#conditions.gold}}gold{{/conditions.gold}}"), .bool(true)]),
                ]))),
        conditions: ["gold": #"attributes.plan = "gold""#],
        locales: ["de": TemplateLocale(parts: TemplateParts(sms: TextTemplatePart(text: "Hallo \(name)")))])

    static let context = TemplateContext(
        customerID: "c-1", attributes: ["name": .string("O'Brien & <Sons>"), "plan": .string("gold")],
        identities: ["mastodon": "ob@social.test"],
        offer: TemplateOffer(
            code: "SPRING-1", name: "Spring", value: 10, currency: "EUR",
            creative: ["sms": ["text": "10% for {{customer.attributes.name}}"], "push": ["text": "Push deal"]]),
        messageID: "m-1", links: TemplateLinks(unsubscribe: "https://x.test/u", preferences: "https://x.test/p"))

    static func render(
        _ channel: TemplateChannel, _ template: MessageTemplate = template, context: TemplateContext = context,
        locale: String? = nil
    ) throws -> RenderedMessage {
        let compiled = try TemplateCompiler.compile(template).template
        var context = context
        context.conditions = compiled.conditions.evaluate(
            for: RuleSubject(attributes: context.attributes), now: RuleTime(millisecondsSinceEpoch: 0))
        return try compiled.render(channel, context: context, locale: locale)
    }
}
