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
    /// and column (or JSON path). `allowsContext`: the rule may read `context.*` (an offer's
    /// eligibility, decided in real time with a request's context).
    func checkRule(
        _ input: RuleInput, defining: [String] = [], allowsContext: Bool = false, allowsEvent: Bool = false
    ) async throws -> (text: String, rule: CheckedRule) {
        var checker = RuleChecker(defining: defining)
        checker.allowsContext = allowsContext
        checker.allowsEvent = allowsEvent
        switch input {
        case .text(let text):
            let syntax: RuleSyntax
            do throws(RuleErrors) { syntax = try RuleParser.parse(text) } catch { throw error.problem }
            let catalog = try await segmentCatalog(for: syntax.segmentNames)
            do throws(RuleErrors) {
                checker.segments = catalog
                return (text, try checker.check(syntax))
            } catch {
                throw error.problem
            }
        case .json(let json):
            let data = Data(json.jsonText.utf8)
            let names = (try? JSONDecoder().decode(RuleExpression.self, from: data))?.segmentNames ?? []
            let catalog = try await segmentCatalog(for: names)
            do throws(RuleErrors) {
                checker.segments = catalog
                let checked = try RuleValidator.check(json: data, with: checker)
                return (checked.text, checked)
            } catch {
                throw error.problem
            }
        }
    }
}

extension TenantSession {
    /// The segments a rule names, and those their unreadable stored trees name in turn.
    func segmentCatalog(for names: [String]) async throws -> SegmentCatalog {
        guard !names.isEmpty else { return SegmentCatalog() }
        var found: [SegmentDefinition] = []
        var asked = Set(names.map { $0.lowercased() })
        var wanted = names
        // Stored trees carry their references inlined; only a definition given as text can
        // name segments not yet fetched, so this rarely takes a second round.
        for _ in 0..<RuleChecker.maximumSegmentDepth where !wanted.isEmpty {
            let round = try await segmentDefinitions(named: wanted)
            found += round
            wanted = []
            for definition in round {
                guard case .text(let text) = definition.rule, let syntax = try? RuleParser.parse(text) else { continue }
                for name in syntax.segmentNames where asked.insert(name.lowercased()).inserted { wanted.append(name) }
            }
        }
        return SegmentCatalog(found)
    }
}
