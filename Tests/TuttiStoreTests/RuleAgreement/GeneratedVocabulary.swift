import TuttiDomain

/// The small world both customers and rules are drawn from, so that rules often hit data:
/// a few attribute paths and event properties, values of every JSON type, times around `now`.
struct GeneratedVocabulary {
    static let attributeKeys = ["country", "age", "tags", "name", "birthday", "signup", "address", "vip", "score", "time_zone", "e\u{301}"]
    static let attributePaths: [[String]] = [
        ["country"], ["age"], ["tags"], ["name"], ["birthday"], ["signup"], ["address", "city"], ["address"], ["vip"],
        ["score"], ["time_zone"], ["nothing"], ["address", "geo", "lat"], ["tags", "0"], ["\u{E9}"], ["e\u{301}"],
    ]
    static let propertyKeys = ["total", "sku", "coupon", "when"]
    static let eventNames = ["Order Completed", "Page Viewed", "Café Besuch"]
    static let strings = [
        "DE", "AT", "de", "Zürich", "Zu", "Z", "e\u{301}", "\u{E9}", "vip", "vip gold", "VIP", "", "😀", "a", "ab", "abc", " b",
        "Berlin", "A-1", "A-2", "B-1", "\u{212A}",
    ]
    static let numbers: [Double] = [-1.5, 0, 18, 18.5, 0.1, 0.30000000000000004, 1e21, -7, 42, 65, 1e-7, 17.999999999999996, 50, 2, 3]
    /// Zones both Foundation and PostgreSQL know (with daylight saving edges, odd offsets, the
    /// date line) and names neither accepts.
    static let zones = [
        "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Pacific/Apia", "Asia/Kathmandu", "Pacific/Kiritimati",
        "Etc/GMT+12", "UTC", "CET", "Mars/Olympus", "europe/berlin", "", "Europe/Berlin ",
    ]

    let now: RuleTime

    /// An instant near now: exact window edges (90 days, a month), around now, or far away.
    func instant(_ random: inout SeededRandom) -> RuleTime {
        let day = RuleCivil.millisecondsPerDay
        let edges: [RuleTime] = [
            now.subtracting(RuleDuration(90, .days)), now.subtracting(RuleDuration(1, .months)), now.subtracting(RuleDuration(30, .days)),
            now, now.subtracting(RuleDuration(2, .years)), now.adding(RuleDuration(1, .days)), now.subtracting(RuleDuration(10, .days)),
            now.subtracting(RuleDuration(60, .days)),
        ]
        if random.chance(0.5) {
            let edge = random.pick(edges).millisecondsSinceEpoch
            return RuleTime(millisecondsSinceEpoch: edge + random.pick([-1, 0, 0, 1, -60_000, 3_600_000]))
        }
        return RuleTime(millisecondsSinceEpoch: now.millisecondsSinceEpoch + Int64(random.int(-800...40)) * day / 2 + Int64(random.int(0...86_399_999)))
    }

    /// A time string: valid in both forms (dates, offsets, fractions) or almost.
    func timeString(_ random: inout SeededRandom) -> String {
        let ms = instant(&random).millisecondsSinceEpoch
        switch random.int(0...9) {
        case 0: return RuleTimeText.date(ms)
        case 1: return RuleTimeText.dateTime(ms, offsetMinutes: random.pick([345, -300, 780, -30, 630]))
        case 2: return RuleTimeText.dateTime(ms, fraction: random.pick(["", ".5", ".123456", ".9999"]))
        case 3: return random.pick(["2023-02-30", "2023-02-29", "2024-02-29", "2024-01-01T24:00:00Z", "2024-06-01t10:00:00z", "0000-01-01", "1900-02-29"])
        case 4: return random.pick(["2024-06-01T10:00:00", "2024-06-01 10:00:00Z", "2024-06-01T10:00:00+0100", "2024-06-01T10:00:00.Z", "soon"])
        default: return RuleTimeText.dateTime(ms)
        }
    }

    /// A birthday-like date whose month and day lie near today's (so anniversaries hit).
    func birthday(_ random: inout SeededRandom) -> String {
        if random.chance(0.15) { return random.pick(["1992-02-29", "2000-02-29", "1991-02-28", "1990-03-01"]) }
        let shifted = now.millisecondsSinceEpoch + Int64(random.int(-2...3)) * RuleCivil.millisecondsPerDay
        let date = RuleCivil.date(days: RuleCivil.floorDivide(shifted, RuleCivil.millisecondsPerDay))
        let year = Int64(random.int(1950...2005))
        let day = min(date.day, RuleCivil.daysIn(month: date.month, year: year))
        let text = "\(year)-\(RuleTimeText.pad(date.month, 2))-\(RuleTimeText.pad(day, 2))"
        return random.chance(0.2) ? text + random.pick(["T23:30:00-05:00", "T00:30:00+13:00", "T12:00:00Z"]) : text
    }

    func attributeValue(_ key: String, _ random: inout SeededRandom) -> JSONValue {
        switch key {
        case "country", "name": return random.chance(0.1) ? .null : .string(random.pick(Self.strings))
        case "age", "score": return random.chance(0.1) ? .string("40") : .number(random.pick(Self.numbers))
        case "tags": return .array((0..<random.int(0...3)).map { _ in random.chance(0.8) ? .string(random.pick(Self.strings)) : anyValue(&random, depth: 2) })
        case "birthday": return .string(birthday(&random))
        case "signup": return .string(timeString(&random))
        case "address":
            var object: [String: JSONValue] = [:]
            if random.chance(0.8) { object["city"] = .string(random.pick(Self.strings)) }
            if random.chance(0.5) { object["geo"] = .object(["lat": .number(random.pick(Self.numbers))]) }
            return random.chance(0.1) ? .array([.object(object)]) : .object(object)
        case "vip": return .bool(random.chance(0.5))
        case "time_zone": return random.chance(0.1) ? .number(5) : .string(random.pick(Self.zones))
        default: return anyValue(&random, depth: 0)
        }
    }

    func propertyValue(_ key: String, _ random: inout SeededRandom) -> JSONValue {
        switch key {
        case "total": return random.chance(0.15) ? .string("80") : .number(random.pick(Self.numbers + [80, 120.5, 49.99]))
        case "sku": return .string(random.pick(Self.strings))
        case "coupon": return .bool(random.chance(0.5))
        default: return .string(timeString(&random))
        }
    }

    func anyValue(_ random: inout SeededRandom, depth: Int) -> JSONValue {
        switch random.int(0...(depth > 2 ? 4 : 6)) {
        case 0: return .null
        case 1: return .bool(random.chance(0.5))
        case 2: return .number(random.pick(Self.numbers))
        case 3: return .string(random.pick(Self.strings))
        case 4: return .string(timeString(&random))
        case 5: return .array((0..<random.int(0...3)).map { _ in anyValue(&random, depth: depth + 1) })
        default: return .object(["city": anyValue(&random, depth: depth + 1), "x": anyValue(&random, depth: depth + 1)])
        }
    }
}
