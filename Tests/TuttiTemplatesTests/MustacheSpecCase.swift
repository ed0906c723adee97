import Foundation
import Testing
import TuttiDomain
import TuttiTemplates

/// One test of the Mustache specification (github.com/mustache/spec), read from the JSON files
/// in `../shared/specs/mustache/` beside the repository (CI clones it there too).
struct MustacheSpecCase: Sendable, CustomTestStringConvertible {
    var file: String
    var name: String
    var template: String
    var data: JSONValue
    var partials: [String: String]
    var expected: String

    var testDescription: String { "\(file): \(name)" }

    /// The folder of the specification's files, found from this source file: the package root
    /// is two folders up, and `shared` is beside it.
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/specs/mustache")

    static let coreFiles = ["comments", "delimiters", "interpolation", "inverted", "partials", "sections"]
    static let optionalFiles = ["~dynamic-names", "~inheritance", "~lambdas"]

    /// The cases of `files`; none when the folder is missing (``MustacheSpecTests`` fails then).
    static func load(_ files: [String]) -> [MustacheSpecCase] {
        files.flatMap { file -> [MustacheSpecCase] in
            guard let bytes = try? Data(contentsOf: folder.appendingPathComponent("\(file).json")),
                case .object(let root)? = try? JSONDecoder().decode(JSONValue.self, from: bytes),
                case .array(let tests)? = root["tests"]
            else { return [] }
            return tests.compactMap { test in
                guard case .object(let test) = test, let name = test["name"]?.stringValue,
                    let template = test["template"]?.stringValue, let expected = test["expected"]?.stringValue
                else { return nil }
                let partials = test["partials"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
                return MustacheSpecCase(
                    file: file, name: name, template: template, data: test["data"] ?? .null, partials: partials,
                    expected: expected)
            }
        }
    }

    /// Renders the case through Tutti's path: ``MustacheEngine`` with HTML escaping, as the
    /// specification expects of `{{name}}`.
    func render(html: Bool = true) throws -> String {
        let compiled = try MustacheEngine.compile(template, html: html)
        let partials = try partials.mapValues { source throws in try MustacheEngine.compile(source, html: true) }
        return MustacheEngine.render(compiled, data: data, partials: partials)
    }

    /// Whether any string in the data would read differently once HTML-escaped.
    var dataHasEscapableText: Bool {
        func escapable(_ value: JSONValue) -> Bool {
            switch value {
            case .string(let text): text.contains { "&<>\"'".contains($0) }
            case .array(let items): items.contains(where: escapable)
            case .object(let members): members.values.contains(where: escapable)
            case .null, .bool, .number: false
            }
        }
        return escapable(data)
    }
}
