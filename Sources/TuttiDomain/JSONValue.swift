import Foundation

/// Any JSON value: customer attributes, event properties and context are free-form JSON.
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 { try container.encode(Int64(value)) } else { try container.encode(value) }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The string, when this is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The object's members, when this is an object.
    public var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }
}

extension JSONValue {
    /// Compact JSON text (keys sorted), for storing in jsonb columns.
    public var jsonText: String {
        String(decoding: sortedJSONBytes, as: UTF8.self)
    }

    /// Parses JSON text (from a jsonb column), with ``JSONScanner``: Foundation's decoder
    /// cost a delivery worker more than sending the message, and a customer read more than its
    /// query. Values nested deeper than the scanner allows fall back to Foundation's decoder.
    public static func parse(_ text: String) -> JSONValue? {
        if let value = try? JSONScanner.parse(text.utf8) { return value }
        return try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }
}
