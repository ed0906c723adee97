/// How inputs are made.
extension RuleFuzzer {
    /// Words and fragments that take mutations deeper into the grammar than random bytes.
    static let vocabulary: [String] = [
        "attributes.", "attributes.country", "value.", "value.rfm.recency", "count(", "sum(", "average(", "min(", "max(",
        "first(", "last(", "\"Order Completed\"", ".total", "where", " and ", " or ", "not ", "(", ")", "[", "]", ",", "=", "!=",
        "<", "<=", ">", ">=", "in", "segment", "\"vip\"", "\"loop\"", "contains", "starts with", "exists", "missing", "within",
        "next", "last", "more than", "ago", "before", "after", "anniversary", "is", "today", "30", "-1.5", "0", "1e999",
        "2024-01-01", "2023-02-30", "2024-01-01T10:00:00Z", "2024-13-01", "days", "day", "years", "weeks", "can receive",
        "email", "fax", "consent", "\"newsletter\"", "opted_in", "true", "false", "null", "#", "--", "\n", "\"", "\\u12",
        "\\", "since", "between", "\u{00E9}", "\u{1F600}", "\t", " ",
    ]

    mutating func nextInput() -> String {
        switch random.next() % 100 {
        case 0..<8: return randomBytes()
        case 8..<18: return tokenSoup()
        case 18..<22: return deepNesting()
        case 22..<25: return flatChain()
        case 25..<30: return pick(corpus)
        default: return mutated(pick(corpus))
        }
    }

    private mutating func pick<T>(_ items: [T]) -> T {
        items[Int(random.next() % UInt64(items.count))]
    }

    private mutating func below(_ bound: Int) -> Int {
        bound <= 0 ? 0 : Int(random.next() % UInt64(bound))
    }

    private mutating func randomBytes() -> String {
        let bytes = (0..<below(120)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        return String(decoding: bytes, as: UTF8.self)
    }

    private mutating func tokenSoup() -> String {
        (0..<(1 + below(25))).map { _ in pick(Self.vocabulary) }.joined(separator: random.next() % 3 == 0 ? "" : " ")
    }

    private mutating func deepNesting() -> String {
        let depth = [10, 63, 64, 65, 1_000, 100_000][below(6)]
        let rule = pick(corpus)
        if random.next() % 2 == 0 {
            return String(repeating: "not ", count: depth) + rule
        }
        let closed = random.next() % 4 != 0
        return String(repeating: "(", count: depth) + rule + (closed ? String(repeating: ")", count: depth) : "")
    }

    private mutating func flatChain() -> String {
        let count = 1 + below(random.next() % 50 == 0 ? 2_000 : 100)
        let separator = random.next() % 2 == 0 ? " and " : " or "
        return (0..<count).map { _ in "(" + pick(corpus) + ")" }.joined(separator: separator)
    }

    private mutating func mutated(_ rule: String) -> String {
        var bytes = Array(rule.utf8)
        for _ in 0..<(1 + below(4)) {
            let position = below(bytes.count + 1)
            switch random.next() % 7 {
            case 0 where !bytes.isEmpty:
                bytes[min(position, bytes.count - 1)] ^= UInt8(1 << below(8))
            case 1:
                bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
            case 2 where !bytes.isEmpty:
                let end = min(bytes.count, position + 1 + below(12))
                bytes.removeSubrange(min(position, end)..<end)
            case 3 where !bytes.isEmpty:
                let start = min(position, bytes.count - 1), end = min(bytes.count, start + 1 + below(20))
                bytes.insert(contentsOf: bytes[start..<end], at: below(bytes.count + 1))
            case 4:
                let other = Array(pick(corpus).utf8)
                let cut = below(other.count + 1)
                bytes = Array(bytes[..<position]) + other[cut...]
            default:
                bytes.insert(contentsOf: Array(pick(Self.vocabulary).utf8), at: position)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
