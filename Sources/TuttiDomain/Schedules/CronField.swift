/// One field of a cron expression: its name, bounds and names, and the parser of its text
/// into a bit set (bit n set when the value n matches).
struct CronField: Sendable {
    let name: String
    let range: ClosedRange<Int>
    /// Upper-case names of the values from `range.lowerBound` on (months, weekdays), or empty.
    let names: [String]
    let example: String

    static let minute = CronField(name: "minute", range: 0...59, names: [], example: "0, 30, */15 or 0-29")
    static let hour = CronField(name: "hour", range: 0...23, names: [], example: "9, 8-17 or */2")
    static let dayOfMonth = CronField(name: "day-of-month", range: 1...31, names: [], example: "1, 1,15 or 1-7")
    static let month = CronField(
        name: "month", range: 1...12,
        names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
        example: "1, JAN-MAR or */3")
    static let dayOfWeek = CronField(
        name: "day-of-week", range: 0...7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
        example: "1-5, MON-FRI or SAT,SUN (0 and 7 are Sunday)")

    /// The values of `text` as a bit set.
    func parse(_ text: Substring) throws(ScheduleError) -> UInt64 {
        var bits: UInt64 = 0
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            bits |= try parseItem(item)
        }
        return bits
    }

    private func parseItem(_ item: Substring) throws(ScheduleError) -> UInt64 {
        guard !item.isEmpty else { throw fail("has an empty list item in \"\(item)\"") }
        let parts = item.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw fail("has more than one / in \"\(item)\"") }
        var step = 1
        if parts.count == 2 {
            guard let value = Int(parts[1]), value >= 1, parts[1].allSatisfy(\.isASCII) else {
                throw fail("has step \"\(parts[1])\" in \"\(item)\": a step is a whole number of at least 1")
            }
            step = value
        }
        let bounds: ClosedRange<Int>
        if parts[0] == "*" {
            bounds = range
        } else if let dash = parts[0].firstIndex(of: "-") {
            let low = try value(parts[0][..<dash], in: item), high = try value(parts[0][parts[0].index(after: dash)...], in: item)
            guard low <= high else {
                throw fail("has range \"\(parts[0])\" that runs backwards: write ranges from low to high, or a list (e.g. 5-6,0)")
            }
            bounds = low...high
        } else {
            let low = try value(parts[0], in: item)
            bounds = parts.count == 2 ? low...range.upperBound : low...low
        }
        var bits: UInt64 = 0
        for value in stride(from: bounds.lowerBound, through: bounds.upperBound, by: step) { bits |= 1 << UInt64(value) }
        return bits
    }

    private func value(_ text: Substring, in item: Substring) throws(ScheduleError) -> Int {
        if let index = names.firstIndex(of: text.uppercased()) { return range.lowerBound + index }
        guard !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let value = Int(text),
            range.contains(value)
        else {
            let named = names.isEmpty ? "" : " or a name \(names.first!)–\(names.last!)"
            throw fail(
                "has \"\(text)\" in \"\(item)\": use a number \(range.lowerBound)–\(range.upperBound)\(named), e.g. \(example)")
        }
        return value
    }

    private func fail(_ message: String) -> ScheduleError {
        CronExpression.error("the \(name) field \(message)")
    }
}
