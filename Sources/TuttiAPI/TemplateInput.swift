import Foundation
import TuttiDomain
import TuttiRuntime

/// Reads a template's body strictly: every member known, every value of its type. A misspelt
/// key (`"emial"`, `"subjet"`) would otherwise be dropped and the template saved without the
/// part its author wrote, so an unknown member is a 422 naming it. The content (Mustache, names,
/// conditions, locales) is checked after this by ``TemplateCompiler``.
struct TemplateInput {
    private var errors: [Problem.FieldError] = []

    /// The template the body describes; a 422 `validation` problem listing every misshapen field.
    static func template(from json: JSONValue) throws -> MessageTemplate {
        var input = TemplateInput()
        let template = input.read(json)
        guard input.errors.isEmpty, let template else {
            throw Problem.validation(input.errors, detail: "The template's body has invalid or unknown fields.")
        }
        return template
    }

    private mutating func fail(_ field: String, _ message: String) {
        errors.append(.init(field: field.isEmpty ? nil : field, message: message))
    }

    /// The members of the object at `field`, after refusing those not in `allowed`.
    private mutating func object(_ value: JSONValue?, _ field: String, allowed: Set<String>? = nil) -> [String: JSONValue]? {
        guard case .object(let members)? = value else {
            fail(field, "must be an object")
            return nil
        }
        if let allowed {
            for key in members.keys.sorted() where !allowed.contains(key) {
                let known = allowed.sorted().map { "`\($0)`" }.joined(separator: ", ")
                fail(field.isEmpty ? key : "\(field).\(key)", "is not a member here; the members are \(known)")
            }
        }
        return members
    }

    private mutating func string(_ value: JSONValue?, _ field: String) -> String? {
        guard let value else { return nil }
        guard case .string(let text) = value else {
            fail(field, "must be a string")
            return nil
        }
        return text
    }

    private mutating func read(_ json: JSONValue) -> MessageTemplate? {
        guard let top = object(json, "", allowed: ["name", "parts", "conditions", "locales", "default_locale"]) else {
            return nil
        }
        var name = ""
        if let raw = string(top["name"], "name") {
            do throws(ValidationError) { name = try DisplayName.validate(raw) } catch { fail("name", error.message) }
        } else if top["name"] == nil {
            fail("name", "is required")
        }
        var parts = TemplateParts()
        if top["parts"] == nil { fail("parts", "is required") } else { parts = readParts(top["parts"], "parts") }
        var conditions: [String: String] = [:]
        if let value = top["conditions"], let members = object(value, "conditions") {
            for (key, rule) in members { conditions[key] = string(rule, TemplateParts.memberPath("conditions", key)) ?? "" }
        }
        var locales: [String: TemplateLocale] = [:]
        if let value = top["locales"], let members = object(value, "locales") {
            for (tag, locale) in members {
                let path = TemplateParts.memberPath("locales", tag)
                guard let fields = object(locale, path, allowed: ["parts"]) else { continue }
                if fields["parts"] == nil { fail("\(path).parts", "is required") }
                locales[tag] = TemplateLocale(parts: readParts(fields["parts"], "\(path).parts"))
            }
        }
        let defaultLocale = string(top["default_locale"], "default_locale") ?? "en"
        if defaultLocale != defaultLocale.trimmingCharacters(in: .whitespacesAndNewlines)
            || !TemplateLocaleFallback.isWellFormed(defaultLocale)
        {
            fail("default_locale", "must be a BCP 47 language tag such as `en` or `de-AT`")
        }
        return MessageTemplate(name: name, parts: parts, conditions: conditions, locales: locales, defaultLocale: defaultLocale)
    }

    private mutating func readParts(_ value: JSONValue?, _ field: String) -> TemplateParts {
        var parts = TemplateParts()
        guard let value, let members = object(value, field, allowed: Set(TemplateChannel.allCases.map(\.rawValue))) else {
            return parts
        }
        if let email = members["email"],
            let fields = object(email, "\(field).email", allowed: ["subject", "preheader", "html", "text"])
        {
            parts.email = EmailTemplatePart(
                subject: string(fields["subject"], "\(field).email.subject"),
                preheader: string(fields["preheader"], "\(field).email.preheader"),
                html: string(fields["html"], "\(field).email.html"), text: string(fields["text"], "\(field).email.text"))
        }
        parts.sms = text(members["sms"], "\(field).sms")
        parts.social = text(members["social"], "\(field).social")
        if let push = members["push"], let fields = object(push, "\(field).push", allowed: ["title", "body", "url"]) {
            parts.push = PushTemplatePart(
                title: string(fields["title"], "\(field).push.title"), body: string(fields["body"], "\(field).push.body"),
                url: string(fields["url"], "\(field).push.url"))
        }
        if let webhook = members["webhook"], let fields = object(webhook, "\(field).webhook", allowed: ["data"]) {
            if let data = fields["data"] {
                parts.webhook = WebhookTemplatePart(data: data)
            } else {
                fail("\(field).webhook.data", "is required")
            }
        }
        return parts
    }

    /// An SMS or social part: `{"text": "…"}`.
    private mutating func text(_ value: JSONValue?, _ field: String) -> TextTemplatePart? {
        guard let value, let fields = object(value, field, allowed: ["text"]) else { return nil }
        guard let text = string(fields["text"], "\(field).text") else {
            if fields["text"] == nil { fail("\(field).text", "is required") }
            return nil
        }
        return TextTemplatePart(text: text)
    }
}
