import Foundation

/// Checks a ``RuleExpression`` that did not come from the parser (the JSON form, a stored rule)
/// the way the checker checks text, reporting each error with the JSON path of the offending
/// value in the `Codable` form (`$.all._0[1].attribute._0.path`).
public struct RuleValidator {
    /// How deep a rule may nest, inlined segments included.
    public static let maximumDepth = 256

    var errors: [RuleError] = []

    /// Decodes the JSON form and checks it, resolving `in segment` references again through
    /// `checker`'s resolver (the inlined rules and versions in the JSON are replaced by the
    /// current ones, and cycles with `checker.defining` are refused).
    public static func check(json: Data, with checker: RuleChecker = RuleChecker()) throws(RuleErrors) -> CheckedRule {
        let decoded: RuleExpression
        do {
            decoded = try JSONDecoder().decode(RuleExpression.self, from: json)
        } catch let error as DecodingError {
            throw RuleErrors([Self.error(for: error)])
        } catch {
            throw RuleErrors([RuleError("the rule is not valid JSON", jsonPath: "$")])
        }
        try validate(decoded)
        var resolver = SegmentReresolver(checker: checker)
        let expression = resolver.resolve(decoded, path: "$")
        guard resolver.errors.isEmpty, let expression else {
            throw RuleErrors(resolver.errors.isEmpty ? [RuleError("the rule does not check", jsonPath: "$")] : resolver.errors)
        }
        return CheckedRule(expression: expression, segments: resolver.references)
    }

    /// Checks an expression as it is, inlined segments included.
    public static func validate(_ expression: RuleExpression) throws(RuleErrors) {
        var validator = RuleValidator()
        validator.expression(expression, path: "$", depth: 0, segments: [])
        guard validator.errors.isEmpty else { throw RuleErrors(validator.errors) }
    }

    mutating func fail(_ message: String, _ path: String) {
        errors.append(RuleError(message, jsonPath: path))
    }

    static func error(for error: DecodingError) -> RuleError {
        func path(_ keys: [any CodingKey]) -> String {
            "$" + keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return RuleError("the rule is not valid JSON", jsonPath: "$")
        case .dataCorrupted(let context):
            return RuleError("has an invalid value (\(context.debugDescription))", jsonPath: path(context.codingPath))
        case .keyNotFound(let key, let context):
            return RuleError("is required", jsonPath: path(context.codingPath + [key]))
        case .typeMismatch(let type, let context):
            return RuleError("has the wrong type (expected \(type))", jsonPath: path(context.codingPath))
        case .valueNotFound(let type, let context):
            return RuleError("must not be null (expected \(type))", jsonPath: path(context.codingPath))
        @unknown default:
            return RuleError("cannot be read", jsonPath: "$")
        }
    }
}
