import Foundation

/// Everything wrong with a request body, field by field; never empty.
public struct DecisionInputInvalid: Error, Sendable, Equatable {
    public var errors: [ValidationError]

    public init(_ errors: [ValidationError]) {
        precondition(!errors.isEmpty, "DecisionInputInvalid needs at least one error")
        self.errors = errors
    }
}

extension PlacementDefinition {
    /// The members a placement's JSON may have.
    public static let fieldNames: Set<String> = ["name", "channel", "offer_ids", "limit", "fallback_offer_id"]
    public static let limitRange = 1...100
    public static let maximumOffers = 1000
    public static let maximumNameLength = 64

    /// Reads a placement from its JSON object, reporting every wrong field at once. `null` is
    /// the same as absent (so a merge patch's `null` removes `offer_ids` or the fallback).
    public static func parse(_ json: JSONValue) throws(DecisionInputInvalid) -> PlacementDefinition {
        guard case .object(let members) = json else {
            throw DecisionInputInvalid([ValidationError(field: "", message: "must be an object")])
        }
        var errors: [ValidationError] = []
        for key in members.keys.sorted() where !fieldNames.contains(key) {
            errors.append(ValidationError(field: key, message: "is not a field of a placement"))
        }
        func present(_ key: String) -> JSONValue? { members[key] == .null ? nil : members[key] }
        let name = present("name")?.stringValue
        if let name {
            if !isName(name) {
                errors.append(.init(field: "name", message: "must be 1 to \(maximumNameLength) letters, digits, '-', '_' or '.'"))
            }
        } else {
            errors.append(.init(field: "name", message: present("name") == nil ? "is required" : "must be a string"))
        }
        let channel = present("channel")?.stringValue.flatMap(OfferChannel.init(rawValue:))
        if channel == nil {
            errors.append(
                .init(
                    field: "channel",
                    message: "is required: one of \(OfferChannel.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        var offerIDs: [UUID]?
        if let value = present("offer_ids") {
            if case .array(let items) = value, items.count <= maximumOffers {
                var ids: [UUID] = []
                for (index, item) in items.enumerated() {
                    guard let id = item.stringValue.flatMap(UUID.init(uuidString:)) else {
                        errors.append(.init(field: "offer_ids[\(index)]", message: "must be an offer id (a UUID)"))
                        continue
                    }
                    if !ids.contains(id) { ids.append(id) }
                }
                offerIDs = ids
            } else {
                errors.append(.init(field: "offer_ids", message: "must be an array of at most \(maximumOffers) offer ids"))
            }
        }
        var limit = 1
        if let value = present("limit") {
            if case .number(let number) = value, number.rounded() == number, Double(limitRange.lowerBound) <= number,
                number <= Double(limitRange.upperBound)
            {
                limit = Int(number)
            } else {
                errors.append(.init(field: "limit", message: "must be a whole number from 1 to 100"))
            }
        }
        var fallback: UUID?
        if let value = present("fallback_offer_id") {
            fallback = value.stringValue.flatMap(UUID.init(uuidString:))
            if fallback == nil { errors.append(.init(field: "fallback_offer_id", message: "must be an offer id (a UUID)")) }
        }
        guard errors.isEmpty, let name, let channel else { throw DecisionInputInvalid(errors) }
        return PlacementDefinition(name: name, channel: channel, offerIDs: offerIDs, limit: limit, fallbackOfferID: fallback)
    }

    /// The placement as its JSON object (what a merge patch is applied to).
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "name": .string(name), "channel": .string(channel.rawValue), "limit": .number(Double(limit)),
        ]
        if let offerIDs { members["offer_ids"] = .array(offerIDs.map { .string($0.uuidString.lowercased()) }) }
        if let fallbackOfferID { members["fallback_offer_id"] = .string(fallbackOfferID.uuidString.lowercased()) }
        return .object(members)
    }

    /// 1–64 letters, digits, `-`, `_` or `.`.
    public static func isName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= maximumNameLength
            && name.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2D
                    || byte == 0x5F || byte == 0x2E
            }
    }
}
