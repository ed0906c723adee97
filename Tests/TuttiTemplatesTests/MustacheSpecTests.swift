import Foundation
import Testing
import TuttiTemplates

/// Every test of the specification's core files, and of its optional `~` files, rendered
/// through ``MustacheEngine``; the optional files' status is in docs/templates.md.
@Suite("Mustache specification")
struct MustacheSpecTests {
    /// Optional tests that do not pass, and why (docs/templates.md, "Specification").
    static let knownOptionalFailures: [String: String] = {
        let indentation = "swift-mustache does not re-indent a block's lines by the indentation of the tag that overrides it"
        let lambdas = "a lambda is code; the specification writes it as source text per language, which JSON data cannot run"
        var failures = [
            "~inheritance: Intrinsic indentation": indentation, "~inheritance: Nested block reindentation": indentation,
        ]
        for name in [
            "Interpolation", "Interpolation - Expansion", "Interpolation - Alternate Delimiters",
            "Interpolation - Multiple Calls",
            "Escaping", "Section", "Section - Expansion", "Section - Alternate Delimiters", "Section - Multiple Calls",
        ] {
            failures["~lambdas: \(name)"] = lambdas
        }
        return failures
    }()

    @Test func theSpecificationFilesArePresentBesideTheRepository() {
        for file in MustacheSpecCase.coreFiles + MustacheSpecCase.optionalFiles {
            let path = MustacheSpecCase.folder.appendingPathComponent("\(file).json").path
            #expect(
                FileManager.default.fileExists(atPath: path),
                "the Mustache specification is missing at \(path): clone Tutti with `shared` beside it (../shared/specs/mustache)"
            )
        }
    }

    @Test(arguments: MustacheSpecCase.load(MustacheSpecCase.coreFiles))
    func coreSpecification(_ test: MustacheSpecCase) throws {
        #expect(try test.render() == test.expected, "\(test.template)")
    }

    /// Text parts compile with a content-type pragma before the author's first line: it must
    /// change nothing but escaping, standalone lines and whitespace included.
    @Test(arguments: MustacheSpecCase.load(MustacheSpecCase.coreFiles).filter { !$0.dataHasEscapableText })
    func coreSpecificationInATextPart(_ test: MustacheSpecCase) throws {
        #expect(try test.render(html: false) == test.expected, "\(test.template)")
    }

    @Test(arguments: MustacheSpecCase.load(MustacheSpecCase.optionalFiles))
    func optionalSpecification(_ test: MustacheSpecCase) throws {
        if let reason = Self.knownOptionalFailures["\(test.file): \(test.name)"] {
            withKnownIssue(Comment(rawValue: reason)) { () throws(any Error) in
                let output = try test.render()
                #expect(output == test.expected)
            }
        } else {
            #expect(try test.render() == test.expected, "\(test.template)")
        }
    }
}
