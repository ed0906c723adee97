/// One template for every channel of a campaign: the parts per channel in the default locale,
/// the named conditions its parts may test, and translations of the parts per locale.
///
/// Every string in the parts is a Mustache template (in `webhook.data`, every string value at
/// any depth). The JSON form is `{"name", "parts", "conditions", "locales", "default_locale"}`;
/// this type only holds it: ``TemplateCompiler`` (TuttiTemplates) checks and compiles it.
public struct MessageTemplate: Sendable, Hashable, Codable {
    /// A name for people; not used in rendering.
    public var name: String
    /// The parts in ``defaultLocale``.
    public var parts: TemplateParts
    /// Named rules in Tutti's rule language, read in parts as `{{#conditions.NAME}}`.
    public var conditions: [String: String]
    /// Translations: a locale's parts replace the default's channel by channel.
    public var locales: [String: TemplateLocale]
    /// The BCP 47 tag of ``parts`` (`en` unless given).
    public var defaultLocale: String

    public init(
        name: String, parts: TemplateParts, conditions: [String: String] = [:], locales: [String: TemplateLocale] = [:],
        defaultLocale: String = "en"
    ) {
        self.name = name
        self.parts = parts
        self.conditions = conditions
        self.locales = locales
        self.defaultLocale = defaultLocale
    }

    enum CodingKeys: String, CodingKey {
        case name, parts, conditions, locales
        case defaultLocale = "default_locale"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        parts = try container.decodeIfPresent(TemplateParts.self, forKey: .parts) ?? TemplateParts()
        conditions = try container.decodeIfPresent([String: String].self, forKey: .conditions) ?? [:]
        locales = try container.decodeIfPresent([String: TemplateLocale].self, forKey: .locales) ?? [:]
        defaultLocale = try container.decodeIfPresent(String.self, forKey: .defaultLocale) ?? "en"
    }
}

/// The parts of one translation of a ``MessageTemplate``.
public struct TemplateLocale: Sendable, Hashable, Codable {
    public var parts: TemplateParts

    public init(parts: TemplateParts) {
        self.parts = parts
    }
}

extension MessageTemplate {
    /// The parts to render for `channel` in the locale the customer asked for (`requested`, a
    /// BCP 47 tag such as the `locale` attribute), and the locale they are in: the first tag of
    /// ``TemplateLocaleFallback/candidates(for:defaultLocale:)`` whose locale has that channel.
    public func parts(for channel: TemplateChannel, locale requested: String?) -> (parts: TemplateParts, locale: String) {
        let byTag = Dictionary(locales.map { (TemplateLocaleFallback.normalized($0.key), $0) }, uniquingKeysWith: { a, _ in a })
        for candidate in TemplateLocaleFallback.candidates(for: requested, defaultLocale: defaultLocale) {
            if candidate == TemplateLocaleFallback.normalized(defaultLocale) { break }
            if let (tag, locale) = byTag[candidate], locale.parts.has(channel) { return (locale.parts, tag) }
        }
        return (parts, defaultLocale)
    }
}
