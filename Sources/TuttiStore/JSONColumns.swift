import Foundation
import TuttiDomain

/// Conversions between jsonb columns (read and written as text) and the domain's values.
enum JSONColumns {
    static func object(_ text: String?) -> [String: JSONValue] {
        guard let text, case .object(let object)? = JSONValue.parse(text) else { return [:] }
        return object
    }

    static func text(_ object: [String: JSONValue]) -> String {
        JSONValue.object(object).jsonText
    }

    /// Attribute write times are stored as Unix seconds per key.
    static func times(_ text: String?) -> [String: Date] {
        object(text).compactMapValues { value in
            if case .number(let seconds) = value { return Date(timeIntervalSince1970: seconds) }
            return nil
        }
    }

    static func text(_ times: [String: Date]) -> String {
        text(times.mapValues { .number($0.timeIntervalSince1970) })
    }
}
