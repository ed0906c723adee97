import TuttiDomain

/// Checks a ``MessageTemplate`` as saving one must: every string compiles (a syntax error names
/// its part, line and column), every name it reads can exist, every condition is a rule that
/// checks, every locale is a BCP 47 tag. It reports every error at once, not just the first.
///
/// An attribute no customer has yet is a warning, not an error: attributes arrive with imports
/// and events, and a template may be written before the first customer with them.
public enum TemplateCompiler {
    /// A template that checked, and what deserves a look.
    public struct Compilation: Sendable {
        public var template: CompiledTemplate
        public var warnings: [TemplateWarning]
    }

    /// - Parameters:
    ///   - segments: answers `in segment "…"` clauses in conditions.
    ///   - knownAttributes: the attribute names customers have (for warnings), or nil.
    public static func compile(
        _ template: MessageTemplate, segments: any SegmentResolver = SegmentCatalog(), knownAttributes: Set<String>? = nil
    ) throws(TemplateErrors) -> Compilation {
        var errors = shapeErrors(template)
        var warnings: [TemplateWarning] = []
        var conditions: TemplateConditions?
        do throws(TemplateErrors) {
            conditions = try TemplateConditions(template.conditions, segments: segments)
        } catch {
            errors += error.errors
        }
        let names = TemplateNameChecker(conditions: Set(template.conditions.keys), knownAttributes: knownAttributes)
        var compiled: [String: MustacheEngine.Compiled] = [:]
        for field in template.fields {
            do throws(MustacheSyntaxError) {
                compiled[field.path] = try MustacheEngine.compile(field.source, html: field.isHTML)
                names.check(field, errors: &errors, warnings: &warnings)
            } catch {
                errors.append(
                    TemplateError(.syntax, part: field.path, line: error.line, column: error.column, message: error.message))
            }
        }
        guard errors.isEmpty, let conditions else { throw TemplateErrors(errors) }
        return Compilation(
            template: CompiledTemplate(template: template, fields: compiled, conditions: conditions), warnings: warnings)
    }

    /// What is wrong with the template as a whole: its name, its locales, a template with no part.
    static func shapeErrors(_ template: MessageTemplate) -> [TemplateError] {
        var errors: [TemplateError] = []
        if template.name.trimmingSpaces.isEmpty {
            errors.append(TemplateError(.invalidTemplate, part: "name", message: "a template needs a name"))
        }
        if !TemplateLocaleFallback.isWellFormed(template.defaultLocale) {
            errors.append(
                TemplateError(.invalidLocale, part: "default_locale", message: "`\(template.defaultLocale)` is not a BCP 47 tag"))
        }
        for tag in template.locales.keys.sorted() where !TemplateLocaleFallback.isWellFormed(tag) {
            errors.append(TemplateError(.invalidLocale, part: "locales.\(tag)", message: "`\(tag)` is not a BCP 47 tag"))
        }
        if !TemplateChannel.allCases.contains(where: template.parts.has) {
            errors.append(
                TemplateError(.invalidTemplate, part: "parts", message: "a template needs a part for at least one channel"))
        }
        return errors
    }
}
