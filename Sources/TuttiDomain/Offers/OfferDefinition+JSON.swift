import Foundation

/// Everything wrong with an offer as sent, field by field; never empty.
public struct OfferInvalid: Error, Sendable, Equatable {
    public var errors: [ValidationError]

    public init(_ errors: [ValidationError]) {
        precondition(!errors.isEmpty, "OfferInvalid needs at least one error")
        self.errors = errors
    }
}

extension OfferDefinition {
    /// The members an offer's JSON may have.
    public static let fieldNames: Set<String> = [
        "code", "name", "description", "eligibility", "starts_at", "ends_at", "priority", "value", "currency",
        "per_customer_limit", "total_cap", "weight", "creative",
    ]

    /// Reads an offer from its JSON object, reporting every wrong field at once: unknown
    /// members, wrong types, values out of range, an end not after the start, a currency that
    /// is not ISO 4217, creative for an unknown channel or with a value that is not a string.
    /// `null` is the same as absent.
    public static func parse(_ json: JSONValue) throws(OfferInvalid) -> OfferDefinition {
        guard case .object(let members) = json else {
            throw OfferInvalid([ValidationError(field: "", message: "must be an object")])
        }
        var reader = OfferFieldReader(members: members)
        for key in members.keys.sorted() where !fieldNames.contains(key) {
            reader.fail(key, "is not a field of an offer")
        }
        let code = reader.code()
        let name = reader.name()
        let description = reader.string("description", maximumLength: maximumDescriptionLength)
        let eligibility = reader.string("eligibility", maximumLength: 20_000)
        let startsAt = reader.date("starts_at")
        let endsAt = reader.date("ends_at")
        if let startsAt, let endsAt, endsAt <= startsAt { reader.fail("ends_at", "must be later than starts_at") }
        let priority = reader.integer("priority", in: priorityRange) ?? 50
        let value = reader.number("value", in: 0...1e12)
        let currency = reader.currency()
        if currency != nil, value == nil { reader.fail("currency", "needs a value") }
        let perCustomerLimit = reader.integer("per_customer_limit", in: countRange)
        let totalCap = reader.integer("total_cap", in: countRange)
        let weight = reader.number("weight", in: weightRange) ?? 1
        let creative = reader.creative()
        guard reader.errors.isEmpty else { throw OfferInvalid(reader.errors) }
        return OfferDefinition(
            code: code ?? "", name: name ?? "", description: description, eligibility: eligibility, startsAt: startsAt,
            endsAt: endsAt, priority: priority, value: value, currency: currency, perCustomerLimit: perCustomerLimit,
            totalCap: totalCap, weight: weight, creative: creative)
    }

    /// The offer as its JSON object (the members ``parse(_:)`` reads; absent ones as `null`):
    /// what `PATCH` merges its body into.
    public var json: JSONValue {
        func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        func optional(_ value: Int?) -> JSONValue { value.map { .number(Double($0)) } ?? .null }
        return .object([
            "code": .string(code), "name": .string(name), "description": optional(description),
            "eligibility": optional(eligibility), "starts_at": optional(startsAt.map(ISO8601.format)),
            "ends_at": optional(endsAt.map(ISO8601.format)), "priority": .number(Double(priority)),
            "value": value.map(JSONValue.number) ?? .null, "currency": optional(currency),
            "per_customer_limit": optional(perCustomerLimit), "total_cap": optional(totalCap), "weight": .number(weight),
            "creative": .object(creative.mapValues { .object($0.mapValues(JSONValue.string)) }),
        ])
    }
}

extension JSONValue {
    /// RFC 7396 JSON merge patch: members of an object `patch` replace this object's, `null`
    /// removes one, objects merge recursively; any other patch replaces the value whole.
    public func merged(with patch: JSONValue) -> JSONValue {
        guard case .object(let changes) = patch else { return patch }
        var members = objectValue ?? [:]
        for (key, change) in changes {
            if change == .null {
                members.removeValue(forKey: key)
            } else {
                members[key] = (members[key] ?? .null).merged(with: change)
            }
        }
        return .object(members)
    }
}
