import Foundation
import HTTPTypes
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// A rule as a request carries it: text (`"rule": "attributes.country = \"DE\""`) or the JSON
/// form of the checked tree (`"rule": {"attribute": …}`).
enum RuleInput: Decodable {
    case text(String)
    case json(JSONValue)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .json(try container.decode(JSONValue.self))
        }
    }
}

extension TenantSession {
    /// Parses and type-checks a rule, resolving `in segment` through this tenant's segments at
    /// their current versions; `defining` names the segment being saved, so that a rule reaching
    /// it again is refused. Returns the text to store (the author's, or the canonical text of a
    /// JSON rule) and the checked rule; throws a 422 problem listing every error with its line
    /// and column (or JSON path).
    func checkRule(_ input: RuleInput, defining: [String] = []) async throws -> (text: String, rule: CheckedRule) {
        switch input {
        case .text(let text):
            let syntax: RuleSyntax
            do throws(RuleErrors) { syntax = try RuleParser.parse(text) } catch { throw error.problem }
            let catalog = SegmentCatalog(try await segmentDefinitions(named: syntax.segmentNames))
            do throws(RuleErrors) {
                return (text, try RuleChecker(segments: catalog, defining: defining).check(syntax))
            } catch {
                throw error.problem
            }
        case .json(let json):
            let data = Data(json.jsonText.utf8)
            let names = (try? JSONDecoder().decode(RuleExpression.self, from: data))?.segmentNamesNamedDirectly ?? []
            let catalog = SegmentCatalog(try await segmentDefinitions(named: names))
            do throws(RuleErrors) {
                let checked = try RuleValidator.check(json: data, with: RuleChecker(segments: catalog, defining: defining))
                return (checked.text, checked)
            } catch {
                throw error.problem
            }
        }
    }
}

extension RuleExpression {
    /// The names of `in segment` clauses written in this rule itself (not inside the segments
    /// it inlines).
    var segmentNamesNamedDirectly: [String] {
        var names: [String] = []
        var stack = [self]
        while let node = stack.popLast() {
            switch node {
            case .all(let members), .any(let members): stack.append(contentsOf: members)
            case .not(let inner): stack.append(inner)
            case .inSegment(let reference, _): names.append(reference.name)
            case .attribute, .value, .canReceive, .consent, .aggregate: break
            }
        }
        return names
    }
}

extension RuleErrors {
    /// 422 `invalid-rule`, each error with its line and column (text) or JSON path.
    var problem: Problem {
        Problem(
            .unprocessableContent, slug: "invalid-rule", title: "Invalid rule",
            detail: errors.count == 1 ? "The rule has an error: \(errors[0])." : "The rule has \(errors.count) errors.",
            errors: errors.map { Problem.FieldError(field: $0.jsonPath, line: $0.line, column: $0.column, message: $0.message) })
    }
}
