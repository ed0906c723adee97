import Foundation
import Mustache
import TuttiDomain

/// The one path every template string takes through Mustache, for campaigns and for the
/// specification's tests alike: compile with the escaping of the part, render over JSON.
///
/// swift-mustache escapes for HTML unless a template starts in its `TEXT` content type, and
/// offers no other public switch; so a text template is compiled with the pragma
/// `{{% CONTENT_TYPE: TEXT}}` on a line of its own before the author's first line. A pragma
/// alone on its line is a standalone tag, removed with its line end, so the output is the same
/// and only error lines shift by one, which ``compile(_:html:)`` takes back.
public struct MustacheEngine: Sendable {
    /// One compiled string.
    public struct Compiled: Sendable {
        let template: MustacheTemplate
        /// The source as the author wrote it.
        public let source: String
        public let isHTML: Bool
    }

    static let textPragma = "{{% CONTENT_TYPE: TEXT}}\n"

    /// Compiles `source`; `html` chooses HTML escaping of `{{name}}` values (`{{{name}}}` and
    /// `{{& name}}` never escape). Throws the first syntax error with its line and column.
    public static func compile(_ source: String, html: Bool) throws(MustacheSyntaxError) -> Compiled {
        do {
            let template = try MustacheTemplate(string: html ? source : textPragma + source)
            return Compiled(template: template, source: source, isHTML: html)
        } catch let error as MustacheTemplate.ParserError {
            let line = error.context.lineNumber - (html ? 0 : 1)
            throw MustacheSyntaxError(line: max(line, 1), column: error.context.columnNumber, message: Self.describe(error.error))
        } catch {
            throw MustacheSyntaxError(line: 1, column: 1, message: "\(error)")
        }
    }

    /// Renders `compiled` over `data`; `partials` are the templates `{{> name}}` may include
    /// (campaign templates have none; the specification's tests do).
    public static func render(_ compiled: Compiled, data: JSONValue, partials: [String: Compiled] = [:]) -> String {
        let library = partials.isEmpty ? nil : MustacheLibrary(templates: partials.mapValues(\.template))
        return compiled.template.render(MustacheValue.native(data), library: library)
    }

    /// Renders over data already converted by ``MustacheValue/native(_:)``: the parts of one
    /// message share one conversion of the context.
    static func render(_ compiled: Compiled, native: Any) -> String {
        compiled.template.render(native)
    }

    static func describe(_ error: any Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect: "the closing tag does not match the open section"
        case .unfinishedName: "a tag is not closed or its name is malformed"
        case .expectedSectionEnd: "a section is not closed"
        case .invalidSetDelimiter: "a set-delimiter tag is malformed"
        case .transformAppliedToInheritanceSection: "a transform cannot apply to an inheritance section"
        case .illegalTokenInsideInheritSection, .textInsideInheritSection: "only blocks may appear inside a parent tag"
        case .invalidConfigVariableSyntax: "a pragma tag is malformed"
        case .unrecognisedConfigVariable: "the pragma is not known"
        case nil: "\(error)"
        }
    }
}

/// Where a string stops being valid Mustache: 1-based line and column (in characters) of the
/// author's text, and what is wrong.
public struct MustacheSyntaxError: Error, Sendable, Hashable {
    public var line: Int
    public var column: Int
    public var message: String
}
