import Foundation

/// String and number readings shared by the evaluator's tests: strings as UTF-8 bytes, the
/// way PostgreSQL's "C" collation sees them.
enum RuleBytes {
    /// Whether a JSON number counts as a number (the twin of `rule_number` in sql/0006).
    static func isReadableNumber(_ value: Double) -> Bool {
        value == 0 || (1e-300...1e300).contains(value.magnitude)
    }

    /// Byte equality over contiguous storage (native strings always have it): the generic
    /// `elementsEqual` on a UTF-8 view walks it byte by byte and was the evaluator's top cost.
    static func equal(_ text: String, _ literal: [UInt8]) -> Bool {
        literal.withUnsafeBufferPointer { other in
            text.utf8.withContiguousStorageIfAvailable { same($0, other) } ?? text.utf8.elementsEqual(other)
        }
    }

    static func equal(_ a: String, _ b: String) -> Bool {
        let fast: Bool?? = a.utf8.withContiguousStorageIfAvailable { first in
            b.utf8.withContiguousStorageIfAvailable { same(first, $0) }
        }
        return (fast ?? nil) ?? a.utf8.elementsEqual(b.utf8)
    }

    private static func same(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard let first = a.baseAddress, let second = b.baseAddress else { return true }
        return memcmp(first, second, a.count) == 0
    }

    static func compare(_ text: String, _ literal: [UInt8], _ op: ComparisonOperator) -> Bool {
        switch op {
        case .equal: return equal(text, literal)
        case .notEqual: return !equal(text, literal)
        case .less: return text.utf8.lexicographicallyPrecedes(literal)
        case .lessOrEqual: return !literal.lexicographicallyPrecedes(text.utf8)
        case .greater: return literal.lexicographicallyPrecedes(text.utf8)
        case .greaterOrEqual: return !text.utf8.lexicographicallyPrecedes(literal)
        }
    }

    static func hasPrefix(_ text: String, _ prefix: [UInt8]) -> Bool {
        text.utf8.starts(with: prefix)
    }

    /// Whether `needle` occurs in `text` (the empty needle occurs in every string).
    static func contains(_ text: String, _ needle: [UInt8]) -> Bool {
        if needle.isEmpty { return true }
        if let found = text.utf8.withContiguousStorageIfAvailable({ search($0, needle) }) { return found }
        return Array(text.utf8).withUnsafeBufferPointer { search($0, needle) }
    }

    private static func search(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        let first = needle[0]
        for start in 0...(haystack.count - needle.count) where haystack[start] == first {
            var matched = true
            for offset in 1..<needle.count where haystack[start + offset] != needle[offset] {
                matched = false
                break
            }
            if matched { return true }
        }
        return false
    }

    /// A JSON string's text read as a time, in milliseconds since the epoch.
    static func time(_ text: String) -> Int64? {
        if let read = text.utf8.withContiguousStorageIfAvailable({ RuleTime.reading(utf8: $0) }) {
            return read?.millisecondsSinceEpoch
        }
        return RuleTime.reading(text)?.millisecondsSinceEpoch
    }
}
