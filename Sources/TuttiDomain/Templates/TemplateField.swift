import Foundation

/// One string of a template that is compiled as Mustache, with where it is and how values are
/// escaped in it. Paths are what errors name: `email.html`, `locales.de.sms.text`,
/// `webhook.data.items[0].sku`.
public struct TemplateField: Sendable, Hashable {
    public var path: String
    public var source: String
    /// True for `email.html` only: values are HTML-escaped there and nowhere else.
    public var isHTML: Bool

    public init(path: String, source: String, isHTML: Bool = false) {
        self.path = path
        self.source = source
        self.isHTML = isHTML
    }
}

extension TemplateParts {
    /// Every template string of every part, each path starting with `prefix`.
    public func fields(prefix: String = "") -> [TemplateField] {
        var fields: [TemplateField] = []
        func add(_ path: String, _ source: String?, html: Bool = false) {
            if let source { fields.append(TemplateField(path: prefix + path, source: source, isHTML: html)) }
        }
        add("email.subject", email?.subject)
        add("email.preheader", email?.preheader)
        add("email.html", email?.html, html: true)
        add("email.text", email?.text)
        add("sms.text", sms?.text)
        add("push.title", push?.title)
        add("push.body", push?.body)
        add("push.url", push?.url)
        add("social.text", social?.text)
        if let data = webhook?.data { Self.collect(data, path: prefix + "webhook.data", into: &fields) }
        return fields
    }

    /// The string values inside webhook data, depth first, keys in sorted order (stable paths).
    private static func collect(_ value: JSONValue, path: String, into fields: inout [TemplateField]) {
        switch value {
        case .string(let source): fields.append(TemplateField(path: path, source: source))
        case .array(let items):
            for (index, item) in items.enumerated() { collect(item, path: "\(path)[\(index)]", into: &fields) }
        case .object(let members):
            for key in members.keys.sorted() { collect(members[key]!, path: memberPath(path, key), into: &fields) }
        case .null, .bool, .number: break
        }
    }
}

extension TemplateParts {
    /// The path of member `key` of the object at `path`: `.key` for a plain name, `["a.b"]`
    /// otherwise, so that `{"a.b": …}` and `{"a": {"b": …}}` never share a path.
    public static func memberPath(_ path: String, _ key: String) -> String {
        let plain = !key.isEmpty && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
        if plain { return "\(path).\(key)" }
        let quoted = key.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\(path)[\"\(quoted)\"]"
    }
}

extension MessageTemplate {
    /// Every template string: the default parts, then each locale's under `locales.TAG.`.
    public var fields: [TemplateField] {
        parts.fields() + locales.keys.sorted().flatMap { locales[$0]!.parts.fields(prefix: "locales.\($0).") }
    }
}
