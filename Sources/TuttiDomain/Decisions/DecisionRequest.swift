import Foundation

/// Who a real-time decision is for, as the caller names them.
public enum DecisionCustomer: Sendable, Hashable {
    /// A customer id (a merged-away id is followed to its survivor).
    case id(UUID)
    /// An identity (`email:ann@example.com`); unknown: answered as for an anonymous visitor.
    case identity(Identity)
    /// A visitor's anonymous id; with a profile holding that `anonymous_id` identity, that
    /// customer, else nobody known.
    case anonymous(String)
}

/// `POST /v1/decisions`, read and checked.
public struct DecisionRequest: Sendable, Hashable {
    public var customer: DecisionCustomer
    public var channel: OfferChannel
    public var placement: String
    /// `context.*` for the offers' rules, and `context` for their creative.
    public var context: [String: JSONValue]
    /// At most the placement's own limit; nil: the placement's limit.
    public var limit: Int?

    public static let fieldNames: Set<String> = ["customer", "channel", "placement", "context", "limit"]

    /// Reads the request's JSON object, reporting every wrong field at once.
    public static func parse(_ json: JSONValue) throws(DecisionInputInvalid) -> DecisionRequest {
        guard case .object(let members) = json else {
            throw DecisionInputInvalid([ValidationError(field: "", message: "must be an object")])
        }
        var errors: [ValidationError] = []
        for key in members.keys.sorted() where !fieldNames.contains(key) {
            errors.append(.init(field: key, message: "is not a field of a decision request"))
        }
        let customer = readCustomer(members["customer"], &errors)
        let channel = members["channel"]?.stringValue.flatMap(OfferChannel.init(rawValue:))
        if channel == nil {
            errors.append(
                .init(
                    field: "channel",
                    message: "is required: one of \(OfferChannel.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        let placement = members["placement"]?.stringValue
        if placement.map(PlacementDefinition.isName) != true {
            errors.append(.init(field: "placement", message: "is required: a placement's name"))
        }
        var context: [String: JSONValue] = [:]
        switch members["context"] {
        case nil, .null?: break
        case .object(let object)?: context = object
        default: errors.append(.init(field: "context", message: "must be an object"))
        }
        var limit: Int?
        switch members["limit"] {
        case nil, .null?: break
        case .number(let number)? where number.rounded() == number && (1...100).contains(number): limit = Int(number)
        default: errors.append(.init(field: "limit", message: "must be a whole number from 1 to 100"))
        }
        guard errors.isEmpty, let customer, let channel, let placement else { throw DecisionInputInvalid(errors) }
        return DecisionRequest(customer: customer, channel: channel, placement: placement, context: context, limit: limit)
    }

    private static func readCustomer(_ value: JSONValue?, _ errors: inout [ValidationError]) -> DecisionCustomer? {
        let shapes = "an object with one of customer_id, identity (\"email:ann@example.com\") or anonymous_id"
        guard case .object(let members)? = value, members.count == 1, let (key, member) = members.first else {
            errors.append(.init(field: "customer", message: "is required: \(shapes)"))
            return nil
        }
        switch key {
        case "customer_id":
            guard let id = member.stringValue.flatMap(UUID.init(uuidString:)) else {
                errors.append(.init(field: "customer.customer_id", message: "must be a customer id (a UUID)"))
                return nil
            }
            return .id(id)
        case "identity":
            guard let text = member.stringValue else {
                errors.append(.init(field: "customer.identity", message: "must be a string such as \"email:ann@example.com\""))
                return nil
            }
            do throws(ValidationError) {
                return .identity(try Identity(parsing: text))
            } catch {
                errors.append(.init(field: "customer.identity", message: error.message))
                return nil
            }
        case "anonymous_id":
            guard let text = member.stringValue, !text.isEmpty, text.utf8.count <= 256,
                !text.unicodeScalars.contains(where: { $0.value == 0 })
            else {
                errors.append(.init(field: "customer.anonymous_id", message: "must be a string of 1 to 256 bytes"))
                return nil
            }
            return .anonymous(text)
        default:
            errors.append(.init(field: "customer.\(key)", message: "is not a way to name a customer; use \(shapes)"))
            return nil
        }
    }
}

/// A customer's response to one offer of a decision.
public enum DecisionResponseKind: String, Sendable, Hashable, CaseIterable {
    case accepted, declined, clicked

    /// The name of the timeline event recording it.
    public var eventName: String {
        switch self {
        case .accepted: "Offer Accepted"
        case .declined: "Offer Declined"
        case .clicked: "Offer Clicked"
        }
    }
}

/// Decline suppression, a tenant setting: an offer declined ``limit`` times within the last
/// ``days`` days is not offered to that customer again until the oldest of them is older.
public struct DeclineSuppression: Sendable, Hashable {
    public var limit: Int
    public var days: Int

    public static let limitRange = 1...1000
    public static let daysRange = 1...3650
    public static let defaults = DeclineSuppression(limit: 3, days: 30)

    public init(limit: Int, days: Int) {
        self.limit = limit
        self.days = days
    }
}
