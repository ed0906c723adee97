import Foundation

/// Reads the members of an offer's JSON object one by one, collecting what is wrong.
struct OfferFieldReader {
    let members: [String: JSONValue]
    var errors: [ValidationError] = []

    init(members: [String: JSONValue]) {
        self.members = members
    }

    mutating func fail(_ field: String, _ message: String) {
        errors.append(ValidationError(field: field, message: message))
    }

    private func present(_ field: String) -> JSONValue? {
        guard let value = members[field], value != .null else { return nil }
        return value
    }

    mutating func string(_ field: String, maximumLength: Int) -> String? {
        guard let value = present(field) else { return nil }
        guard case .string(let text) = value else {
            fail(field, "must be a string")
            return nil
        }
        if text.count > maximumLength { fail(field, "must be at most \(maximumLength) characters") }
        if text.unicodeScalars.contains(where: { $0.value == 0 }) { fail(field, "must not contain NUL") }
        return text
    }

    mutating func code() -> String? {
        guard present("code") != nil else {
            fail("code", "is required")
            return nil
        }
        guard let code = string("code", maximumLength: OfferDefinition.maximumCodeLength) else { return nil }
        let allowed = code.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2D
                || byte == 0x5F || byte == 0x2E
        }
        if code.isEmpty || !allowed { fail("code", "must be 1 to 64 letters, digits, '-', '_' or '.'") }
        return code
    }

    mutating func name() -> String? {
        guard case .string(let raw)? = present("name") else {
            fail("name", present("name") == nil ? "is required" : "must be a string")
            return nil
        }
        do throws(ValidationError) {
            return try DisplayName.validate(raw)
        } catch {
            errors.append(error)
            return nil
        }
    }

    mutating func date(_ field: String) -> Date? {
        guard let value = present(field) else { return nil }
        guard case .string(let text) = value, let date = ISO8601.parse(text) else {
            fail(field, "must be an ISO 8601 date-time such as 2026-05-01T00:00:00Z")
            return nil
        }
        return date
    }

    mutating func integer(_ field: String, in range: ClosedRange<Int>) -> Int? {
        guard let value = present(field) else { return nil }
        guard case .number(let number) = value, number.rounded() == number, Double(range.lowerBound) <= number,
            number <= Double(range.upperBound)
        else {
            fail(field, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return Int(number)
    }

    mutating func number(_ field: String, in range: ClosedRange<Double>) -> Double? {
        guard let value = present(field) else { return nil }
        guard case .number(let number) = value, number.isFinite, range.contains(number) else {
            fail(field, "must be a number from \(Self.text(range.lowerBound)) to \(Self.text(range.upperBound))")
            return nil
        }
        return number
    }

    private static func text(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }

    mutating func currency() -> String? {
        guard let code = string("currency", maximumLength: 20_000) else { return nil }
        guard ISO4217.codes.contains(code) else {
            fail("currency", "must be an ISO 4217 currency code in upper case, such as EUR or USD")
            return nil
        }
        return code
    }

    mutating func creative() -> [String: [String: String]] {
        guard let value = present("creative") else { return [:] }
        guard case .object(let channels) = value else {
            fail("creative", "must be an object of channels")
            return [:]
        }
        var creative: [String: [String: String]] = [:]
        for (channel, fields) in channels.sorted(by: { $0.key < $1.key }) {
            let path = "creative.\(channel)"
            guard OfferChannel(rawValue: channel) != nil else {
                fail(path, "is not a channel; use \(OfferChannel.allCases.map(\.rawValue).joined(separator: ", "))")
                continue
            }
            guard case .object(let members) = fields, !members.isEmpty,
                members.count <= OfferDefinition.maximumCreativeFields
            else {
                fail(path, "must be an object of 1 to \(OfferDefinition.maximumCreativeFields) string fields")
                continue
            }
            var strings: [String: String] = [:]
            for (key, field) in members.sorted(by: { $0.key < $1.key }) {
                if !Self.isFieldName(key) {
                    fail("\(path).\(key)", "must be named with a-z, 0-9 and '_', starting with a letter")
                }
                guard case .string(let text) = field, text.count <= OfferDefinition.maximumCreativeFieldLength else {
                    fail("\(path).\(key)", "must be a string of at most \(OfferDefinition.maximumCreativeFieldLength) characters")
                    continue
                }
                strings[key] = text
            }
            creative[channel] = strings
        }
        return creative
    }

    static func isFieldName(_ name: String) -> Bool {
        guard let first = name.utf8.first, (0x61...0x7A).contains(first), name.utf8.count <= 64 else { return false }
        return name.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
    }
}
