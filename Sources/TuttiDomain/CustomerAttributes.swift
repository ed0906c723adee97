import Foundation

/// Customer attributes: free-form JSON, with reserved keys whose type Tutti knows and checks,
/// because rules and channels rely on them (birthdays in the customer's time zone, language
/// for content, quiet hours for sending).
public enum CustomerAttributes {
    /// The reserved keys and what each must hold.
    public static let reserved: [String: String] = [
        "first_name": "a string", "last_name": "a string",
        "birthday": "a date YYYY-MM-DD", "time_zone": "an IANA time zone such as Europe/Paris",
        "language": "a language tag such as en or pt-BR", "country": "an ISO 3166 country code such as FR",
        "preferred_channel": "one of email, sms, push, social, phone, mail, web",
        "quiet_hours": #"an object {"start": "HH:MM", "end": "HH:MM"}"#,
    ]
    public static let maximumKeys = 500

    /// Checks and normalizes a write of attributes (`null` removes a key); throws every
    /// problem found, each naming `attributes.KEY`.
    public static func validate(_ attributes: [String: JSONValue]) throws(ValidationErrors) -> [String: JSONValue] {
        var errors: [ValidationError] = []
        var normalized: [String: JSONValue] = [:]
        if attributes.count > maximumKeys {
            errors.append(ValidationError(field: "attributes", message: "may have at most \(maximumKeys) keys"))
        }
        for (key, value) in attributes {
            let field = "attributes.\(key)"
            guard (1...128).contains(key.count), !key.containsControlCharacter else {
                errors.append(ValidationError(field: field, message: "is not a usable attribute name (1 to 128 characters)"))
                continue
            }
            if value.containsNUL {
                errors.append(ValidationError(field: field, message: "must not contain U+0000 in a name or a string"))
                continue
            }
            if value == .null || reserved[key] == nil {
                normalized[key] = value
                continue
            }
            if let checked = check(key: key, value: value) {
                normalized[key] = checked
            } else {
                errors.append(ValidationError(field: field, message: "must be \(reserved[key]!)"))
            }
        }
        guard errors.isEmpty else { throw ValidationErrors(errors) }
        return normalized
    }

    private static func check(key: String, value: JSONValue) -> JSONValue? {
        switch key {
        case "first_name", "last_name":
            guard let text = value.stringValue, text.count <= 200 else { return nil }
            return .string(text.trimmedOfWhitespace)
        case "birthday":
            guard let text = value.stringValue, LocalDate(text) != nil else { return nil }
            return value
        case "time_zone":
            guard let text = value.stringValue, text.contains("/") || text == "UTC", TimeZone(identifier: text) != nil else { return nil }
            return value
        case "language":
            guard let text = value.stringValue, text.range(of: #"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"#, options: .regularExpression) != nil else { return nil }
            return value
        case "country":
            guard let text = value.stringValue, text.count == 2, text.allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
            return .string(text.uppercased())
        case "preferred_channel":
            guard let text = value.stringValue, ConsentChannel(rawValue: text) != nil else { return nil }
            return value
        case "quiet_hours":
            guard let object = value.objectValue, object.count == 2,
                let start = object["start"]?.stringValue, let end = object["end"]?.stringValue,
                LocalTime(start) != nil, LocalTime(end) != nil
            else { return nil }
            return value
        default:
            return value
        }
    }
}

/// Several validation errors at once, so a client can fix them all in one go.
public struct ValidationErrors: Error, Sendable, Equatable {
    public var errors: [ValidationError]
    public init(_ errors: [ValidationError]) { self.errors = errors }
}

/// A calendar date `YYYY-MM-DD` that exists.
public struct LocalDate: Sendable, Hashable {
    public var year: Int, month: Int, day: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        // Digits only: Int("+1") is 1, and "+001-01-01" is no date.
        guard text.count == 10, parts.count == 3, parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...9999).contains(year), (1...12).contains(month)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
            calendar.component(.day, from: date) == day
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }
}

/// A time of day `HH:MM`.
public struct LocalTime: Sendable, Hashable {
    public var hour: Int, minute: Int

    public init?(_ text: String) {
        let parts = text.split(separator: ":")
        guard text.count == 5, parts.count == 2, parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
            let hour = Int(parts[0]), let minute = Int(parts[1]),
            (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        self.hour = hour
        self.minute = minute
    }
}

extension Character {
    /// 0 to 9, and nothing else that `Int(_:)` or `isNumber` would take.
    var isASCIIDigit: Bool { isASCII && isNumber }
}
