import TuttiDomain

/// A template that checked, every string compiled once: keep it (per template version) and
/// render it for customer after customer. It is a value and `Sendable`.
public struct CompiledTemplate: Sendable {
    /// The template as written.
    public let template: MessageTemplate
    /// Each string compiled, by its ``TemplateField/path``.
    let fields: [String: MustacheEngine.Compiled]
    /// The conditions, for the caller to evaluate into ``TemplateContext/conditions``.
    public let conditions: TemplateConditions

    /// Renders `channel` for the customer of `context` in the translation for `locale` (their
    /// `locale` attribute, a BCP 47 tag). An SMS of more than `smsSegmentLimit` segments renders
    /// with a warning. Throws only for a channel without a part, or an offer creative that is
    /// not valid Mustache (creatives are checked when the offer is saved, not here).
    public func render(
        _ channel: TemplateChannel, context: TemplateContext, locale: String? = nil, smsSegmentLimit: Int? = nil
    ) throws(TemplateErrors) -> RenderedMessage {
        let (parts, tag) = template.parts(for: channel, locale: locale)
        guard parts.has(channel) else {
            throw TemplateErrors([
                TemplateError(.missingPart, part: channel.rawValue, message: "the template has no \(channel) part")
            ])
        }
        var context = context
        for name in conditions.evaluators.keys where context.conditions[name] == nil { context.conditions[name] = false }
        let data = context.json(for: channel, renderedCreative: try creative(for: channel, context))
        let renderer = PartRenderer(fields: fields, prefix: tag == template.defaultLocale ? "" : "locales.\(tag).", data: data)
        var warnings: [TemplateWarning] = []
        let rendered: RenderedMessage.Parts
        switch channel {
        case .email:
            let html = renderer.render("email.html")
            var text = renderer.render("email.text")
            if text?.isEmpty ?? true, let html { text = HTMLText.plainText(html) }
            rendered = .email(
                subject: renderer.render("email.subject"), preheader: renderer.render("email.preheader"), html: html, text: text)
        case .sms:
            let text = renderer.render("sms.text") ?? ""
            let segments = SMSSegments(text)
            if let limit = smsSegmentLimit, segments.count > limit {
                let message =
                    "the SMS is \(segments.count) \(segments.encoding.rawValue) segments, more than the limit of \(limit)"
                warnings.append(TemplateWarning(part: renderer.prefix + "sms.text", message: message))
            }
            rendered = .sms(text: text, segments: segments)
        case .push:
            rendered = .push(
                title: renderer.render("push.title"), body: renderer.render("push.body"), url: renderer.render("push.url"))
        case .social: rendered = .social(text: renderer.render("social.text") ?? "")
        case .webhook: rendered = .webhook(data: renderer.renderJSON(parts.webhook?.data ?? .null, path: "webhook.data"))
        }
        return RenderedMessage(channel: channel, locale: tag, parts: rendered, warnings: warnings)
    }

    /// The offer's creative for `channel` with its own templates rendered as text (values not
    /// escaped: a creative field is escaped once, where an HTML part inserts it).
    private func creative(for channel: TemplateChannel, _ context: TemplateContext) throws(TemplateErrors) -> [String: String]? {
        guard let fields = context.offer?.creative[channel.rawValue] else { return nil }
        let data = context.json(for: channel, renderedCreative: [:])
        var rendered: [String: String] = [:]
        var errors: [TemplateError] = []
        for (key, source) in fields.sorted(by: { $0.key < $1.key }) {
            do throws(MustacheSyntaxError) {
                rendered[key] = MustacheEngine.render(try MustacheEngine.compile(source, html: false), data: data)
            } catch {
                let part = "offer.creative.\(channel.rawValue).\(key)"
                errors.append(TemplateError(.syntax, part: part, line: error.line, column: error.column, message: error.message))
            }
        }
        guard errors.isEmpty else { throw TemplateErrors(errors) }
        return rendered
    }
}

/// Renders the compiled strings of one translation over one context object.
private struct PartRenderer {
    let fields: [String: MustacheEngine.Compiled]
    let prefix: String
    /// The context as Mustache reads it, converted once for every part.
    let native: Any

    init(fields: [String: MustacheEngine.Compiled], prefix: String, data: JSONValue) {
        self.fields = fields
        self.prefix = prefix
        self.native = MustacheValue.native(data)
    }

    func render(_ path: String) -> String? {
        fields[prefix + path].map { MustacheEngine.render($0, native: native) }
    }

    /// Webhook data: every string rendered (as text), everything else kept as it is.
    func renderJSON(_ value: JSONValue, path: String) -> JSONValue {
        switch value {
        case .string(let source): .string(render(path) ?? source)
        case .array(let items): .array(items.enumerated().map { renderJSON($1, path: "\(path)[\($0)]") })
        case .object(let members):
            .object(
                Dictionary(uniqueKeysWithValues: members.map { ($0, renderJSON($1, path: TemplateParts.memberPath(path, $0))) }))
        case .null, .bool, .number: value
        }
    }
}
