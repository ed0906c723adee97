import Foundation
import Hummingbird
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// `POST /v1/decisions/{id}/responses {"offer_id", "response"}`: a customer accepted, declined
/// or clicked an offer a decision showed; recorded once per (decision, offer, response), on the
/// customer's timeline. Declines feed decline suppression, whose setting is
/// `GET/PUT /v1/decision-settings {"decline_limit", "decline_suppression_days"}`.
enum DecisionResponseRoutes {
    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        let database = dependencies.database
        let bodyLimit = dependencies.maxBodyBytes
        let recorder = dependencies.decisions.recorder

        group.post("/decisions/:id/responses") { request, context -> Response in
            let principal = try context.require(.read)
            let decisionID = try context.uuidParameter("id")
            let (offerID, response) = try read(try await OfferInput.json(request, limit: bodyLimit))
            let respond = {
                try await database.withTenant(principal.tenantID, logger: context.logger) {
                    try await $0.decisionRespond(decisionID: decisionID, offerID: offerID, response: response)
                }
            }
            var outcome = try await respond()
            if outcome == .noDecision {
                // The decision may still be in this process's impression buffer: write it, look again.
                await recorder.flush()
                outcome = try await respond()
            }
            let resource = { (customerID: UUID?, repeated: Bool) in
                DecisionResponseResource(
                    decisionID: decisionID, offerID: offerID, response: response.rawValue, customerID: customerID,
                    repeated: repeated)
            }
            switch outcome {
            case .recorded(let customerID): return try JSONResponse.make(.created, resource(customerID, false))
            case .repeated(let customerID): return try JSONResponse.make(.ok, resource(customerID, true))
            case .noDecision: throw Problem.notFound("No decision with this id.")
            case .offerNotShown:
                throw Problem.validation([.init(field: "offer_id", message: "is not an offer this decision showed")])
            }
        }

        group.get("/decision-settings") { _, context -> Response in
            let principal = try context.require(.read)
            let setting = try await database.withTenant(principal.tenantID, logger: context.logger) {
                try await $0.decisionSettingsGet()
            }
            return try JSONResponse.make(.ok, DecisionSettingsResource(setting))
        }

        group.put("/decision-settings") { request, context -> Response in
            let principal = try context.require(.write)
            let setting = try readSettings(try await OfferInput.json(request, limit: bodyLimit))
            try await database.withTenant(principal.tenantID, logger: context.logger) {
                try await $0.decisionSettingsPut(setting)
            }
            return try JSONResponse.make(.ok, DecisionSettingsResource(setting))
        }
    }

    static func read(_ json: JSONValue) throws -> (UUID, DecisionResponseKind) {
        guard case .object(let members) = json else { throw Problem.validation([.init(field: "", message: "must be an object")]) }
        var errors: [Problem.FieldError] = []
        for key in members.keys.sorted() where !["offer_id", "response"].contains(key) {
            errors.append(.init(field: key, message: "is not a field of a response"))
        }
        let offerID = members["offer_id"]?.stringValue.flatMap(UUID.init(uuidString:))
        if offerID == nil { errors.append(.init(field: "offer_id", message: "is required: an offer id (a UUID)")) }
        let response = members["response"]?.stringValue.flatMap(DecisionResponseKind.init(rawValue:))
        if response == nil {
            errors.append(.init(field: "response", message: "is required: one of accepted, declined or clicked"))
        }
        guard errors.isEmpty, let offerID, let response else { throw Problem.validation(errors) }
        return (offerID, response)
    }

    static func readSettings(_ json: JSONValue) throws -> DeclineSuppression {
        guard case .object(let members) = json else { throw Problem.validation([.init(field: "", message: "must be an object")]) }
        var errors: [Problem.FieldError] = []
        for key in members.keys.sorted() where !["decline_limit", "decline_suppression_days"].contains(key) {
            errors.append(.init(field: key, message: "is not a field of the decision settings"))
        }
        func whole(_ key: String, _ range: ClosedRange<Int>) -> Int? {
            guard case .number(let number)? = members[key], number.rounded() == number, Double(range.lowerBound) <= number,
                number <= Double(range.upperBound)
            else {
                errors.append(
                    .init(field: key, message: "is required: a whole number from \(range.lowerBound) to \(range.upperBound)"))
                return nil
            }
            return Int(number)
        }
        let limit = whole("decline_limit", DeclineSuppression.limitRange)
        let days = whole("decline_suppression_days", DeclineSuppression.daysRange)
        guard errors.isEmpty, let limit, let days else { throw Problem.validation(errors) }
        return DeclineSuppression(limit: limit, days: days)
    }
}

/// What `POST /v1/decisions/{id}/responses` answers.
struct DecisionResponseResource: Encodable {
    var decisionID: UUID
    var offerID: UUID
    var response: String
    var customerID: UUID?
    var repeated: Bool

    enum CodingKeys: String, CodingKey {
        case decisionID = "decision_id", offerID = "offer_id", response, customerID = "customer_id", repeated
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(decisionID.lowercasedText, forKey: .decisionID)
        try container.encode(offerID.lowercasedText, forKey: .offerID)
        try container.encode(response, forKey: .response)
        try container.encode(customerID?.lowercasedText, forKey: .customerID)
        try container.encode(repeated, forKey: .repeated)
    }
}

/// The tenant's decline suppression setting.
struct DecisionSettingsResource: Encodable {
    var declineLimit: Int
    var declineSuppressionDays: Int

    init(_ setting: DeclineSuppression) {
        declineLimit = setting.limit
        declineSuppressionDays = setting.days
    }

    enum CodingKeys: String, CodingKey {
        case declineLimit = "decline_limit", declineSuppressionDays = "decline_suppression_days"
    }
}
