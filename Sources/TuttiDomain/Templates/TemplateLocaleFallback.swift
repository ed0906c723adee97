/// Which translation a customer gets: BCP 47 lookup (RFC 4647, section 3.4), from the tag the
/// customer asked for down to its language, then the template's default.
///
/// Tags compare case-insensitively (as BCP 47 says) and `_` is read as `-`, because customer
/// attributes imported from other systems often say `de_AT`.
public enum TemplateLocaleFallback {
    /// `de-AT` → `["de-at", "de", "en"]` for default `en`; a private-use or extension singleton
    /// left at the end is dropped with the subtag after it (`de-x-foo` → `de`).
    public static func candidates(for requested: String?, defaultLocale: String) -> [String] {
        var result: [String] = []
        var subtags = requested.map { normalized($0).split(separator: "-").map(String.init) } ?? []
        while !subtags.isEmpty {
            result.append(subtags.joined(separator: "-"))
            subtags.removeLast()
            if let last = subtags.last, last.count == 1 { subtags.removeLast() }
        }
        let fallback = normalized(defaultLocale)
        if !result.contains(fallback) { result.append(fallback) }
        return result
    }

    /// The tag in the form candidates are compared in: trimmed, lower-cased, `_` as `-`.
    public static func normalized(_ tag: String) -> String {
        String(tag.trimmedOfWhitespace.lowercased().map { $0 == "_" ? "-" : $0 })
    }

    /// Whether `tag` is well-formed enough to name a translation: subtags of 1–8 ASCII letters
    /// or digits separated by `-` (or `_`), the first of 2–8 letters.
    public static func isWellFormed(_ tag: String) -> Bool {
        let subtags = normalized(tag).split(separator: "-", omittingEmptySubsequences: false)
        guard let first = subtags.first, (2...8).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            return false
        }
        return subtags.allSatisfy { (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
    }
}
