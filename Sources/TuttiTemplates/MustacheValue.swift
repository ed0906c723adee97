import Foundation
import TuttiDomain

/// JSON as swift-mustache reads it: objects as dictionaries (looked up by key), arrays as
/// arrays (iterated by sections), booleans as `Bool` (sections test them), null as `NSNull`
/// (the library's null: renders nothing, falsey in sections).
enum MustacheValue {
    static func native(_ value: JSONValue) -> Any {
        switch value {
        case .null: NSNull()
        case .bool(let bool): bool
        case .string(let string): string
        case .number(let value): number(value)
        case .array(let items): items.map(native)
        case .object(let members): members.mapValues(native)
        }
    }

    /// Whole numbers as integers, so that `85` renders as `85` and not as `85.0`; others as
    /// Swift prints a `Double`, the shortest text that reads back as the same number (`1.21`).
    private static func number(_ number: Double) -> Any {
        if number.rounded() == number, abs(number) < 9e15 { return Int(number) }
        return number
    }
}
