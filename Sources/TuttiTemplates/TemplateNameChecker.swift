import TuttiDomain

/// Checks the names one compiled string reads against what a ``TemplateContext`` can hold.
///
/// A name is checked where it resolves from the top of the context: outside sections, and
/// inside inverted sections, blocks and `{{#conditions.NAME}}` sections (a boolean pushes
/// nothing). Inside any other section a name may be a key of the section's value (`{{#data.items}}
/// {{sku}}{{/data.items}}`), so it is not checked there; that section's own name is.
struct TemplateNameChecker {
    /// The template's condition names.
    var conditions: Set<String>
    /// Attribute names some customer has, or nil to not warn about attributes.
    var knownAttributes: Set<String>?

    private static let members: [String: Set<String>] = [
        "customer": ["id", "attributes", "identities"], "offer": TemplateOffer.fieldNames,
        "message": ["id"], "links": ["unsubscribe", "preferences"],
    ]

    func check(_ field: TemplateField, errors: inout [TemplateError], warnings: inout [TemplateWarning]) {
        var opaque: [Bool] = []
        for tag in MustacheTagScanner.tags(in: field.source) {
            switch tag.kind {
            case .close:
                _ = opaque.popLast()
                continue
            case .partial, .parent:
                let message = "`\(tag.name)` cannot be included: templates have no partials"
                errors.append(
                    TemplateError(.partialNotAvailable, part: field.path, line: tag.line, column: tag.column, message: message))
                if tag.kind == .parent { opaque.append(false) }
                continue
            case .other: continue
            case .variable, .section, .inverted, .block: break
            }
            if !opaque.contains(true), tag.kind != .block {
                check(tag, field.path, &errors, &warnings)
            }
            switch tag.kind {
            case .section: opaque.append(!tag.name.hasPrefix("conditions."))
            case .inverted, .block: opaque.append(false)
            default: break
            }
        }
    }

    private func check(
        _ tag: MustacheTagScanner.Tag, _ part: String, _ errors: inout [TemplateError], _ warnings: inout [TemplateWarning]
    ) {
        let name = tag.name.hasPrefix(".") ? String(tag.name.dropFirst()) : tag.name
        guard !name.isEmpty else { return }
        let segments = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        func fail(_ code: TemplateError.Code, _ message: String) {
            errors.append(TemplateError(code, part: part, line: tag.line, column: tag.column, message: message))
        }
        let top = segments[0]
        guard TemplateContext.topLevelNames.contains(top) else {
            let names = TemplateContext.topLevelNames.sorted().map { "`\($0)`" }.joined(separator: ", ")
            return fail(.unknownVariable, "`\(tag.name)` cannot be read: a template reads \(names)")
        }
        guard segments.count > 1 else { return }
        let member = segments[1]
        if top == "conditions", !conditions.contains(member) {
            return fail(.undefinedCondition, "`\(tag.name)`: the template defines no condition `\(member)` in `conditions`")
        }
        if let allowed = Self.members[top], !allowed.contains(member) {
            let names = allowed.sorted().map { "`\(top).\($0)`" }.joined(separator: ", ")
            return fail(.unknownVariable, "`\(tag.name)` cannot be read: `\(top)` has \(names)")
        }
        if top == "customer", member == "attributes", segments.count > 2, let known = knownAttributes,
            !known.contains(segments[2])
        {
            let message = "no customer has the attribute `\(segments[2])` yet; it renders empty until one does"
            warnings.append(TemplateWarning(part: part, line: tag.line, column: tag.column, message: message))
        }
    }
}
