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

    /// Attribute sources are stored as a string per key.
    static func sources(_ text: String?) -> [String: String] {
        object(text).compactMapValues(\.stringValue)
    }

    static func text(_ sources: [String: String]) -> String {
        text(sources.mapValues { .string($0) })
    }

    /// Reads the three attribute columns of a customer row.
    static func attributes(values: String, times: String, sources: String) -> TimedAttributes {
        TimedAttributes(values: object(values), times: self.times(times), sources: self.sources(sources))
    }
}
