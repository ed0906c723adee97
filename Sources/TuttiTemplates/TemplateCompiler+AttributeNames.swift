import TuttiDomain

extension TemplateCompiler {
    /// The attribute names a template reads as `customer.attributes.NAME` (the first name after
    /// `attributes`) in any part or translation: the names worth asking the tenant's customers
    /// about before ``compile(_:segments:knownAttributes:)`` warns about the ones nobody has.
    ///
    /// Run it on a template that compiled: it reads tags as the compiler's name check does.
    public static func attributeNames(in template: MessageTemplate) -> Set<String> {
        var names: Set<String> = []
        for field in template.fields {
            for tag in MustacheTagScanner.tags(in: field.source) {
                let name = tag.name.hasPrefix(".") ? tag.name.dropFirst() : Substring(tag.name)
                let segments = name.split(separator: ".", omittingEmptySubsequences: false)
                if segments.count > 2, segments[0] == "customer", segments[1] == "attributes", !segments[2].isEmpty {
                    names.insert(String(segments[2]))
                }
            }
        }
        return names
    }
}
