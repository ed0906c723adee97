import Foundation
import Hummingbird
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// `POST /v1/offers/arbitrate {"customer_id", "channel", "limit"?}`: which offers
/// ``OfferArbitration`` would choose for the customer on the channel now, and why each other
/// offer was left out. A dry run: nothing is given and no code is reserved (`code` is null).
enum OfferArbitrationRoutes {
    static let limitRange = 1...100

    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        let database = dependencies.database
        let bodyLimit = dependencies.maxBodyBytes

        group.post("/offers/arbitrate") { request, context -> Response in
            let principal = try context.require(.read)
            let (customerID, channel, limit) = try read(try await OfferInput.json(request, limit: bodyLimit))
            let answer = try await database.withTenant(principal.tenantID, logger: context.logger) {
                session -> OfferArbitrationResource? in
                let offers = try await session.offersLive()
                let now = try await session.databaseNow()
                let aggregates = Set(offers.flatMap { $0.eligibilityRule?.eventAggregates ?? [] })
                guard let subject = try await session.loadRuleSubject(customerID: customerID, aggregates: aggregates, now: now)
                else {
                    return nil
                }
                let counts = try await session.offerGrantCounts(offerIDs: offers.map(\.id), customerIDs: [customerID])
                let customer = OfferArbitration.Customer(
                    id: customerID, subject: subject,
                    grants: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.offerID, $0.value) }))
                let result = OfferArbitration.arbitrate(
                    offers.map(OfferCandidate.init), for: customer, channel: channel, now: now, limit: limit)
                return OfferArbitrationResource(
                    customerID: customerID, channel: channel, now: now.date, result: result, offers: offers)
            }
            guard let answer else { throw Problem.notFound("No customer with this id.") }
            return try JSONResponse.make(.ok, answer)
        }
    }

    /// The request's members, each checked: 422 naming the field otherwise.
    static func read(_ json: JSONValue) throws -> (UUID, OfferChannel, Int) {
        guard case .object(let members) = json else { throw Problem.validation([.init(field: "", message: "must be an object")]) }
        var errors: [Problem.FieldError] = []
        for key in members.keys.sorted() where !["customer_id", "channel", "limit"].contains(key) {
            errors.append(.init(field: key, message: "is not a field of this request"))
        }
        let customerID = members["customer_id"]?.stringValue.flatMap(UUID.init(uuidString:))
        if customerID == nil { errors.append(.init(field: "customer_id", message: "is required: a customer id (a UUID)")) }
        let channel = members["channel"]?.stringValue.flatMap(OfferChannel.init(rawValue:))
        if channel == nil {
            errors.append(
                .init(
                    field: "channel",
                    message: "is required: one of \(OfferChannel.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        var limit = 1
        if let value = members["limit"], value != .null {
            if case .number(let number) = value, number.rounded() == number, Double(limitRange.lowerBound) <= number,
                number <= Double(limitRange.upperBound)
            {
                limit = Int(number)
            } else {
                errors.append(.init(field: "limit", message: "must be a whole number from 1 to 100"))
            }
        }
        guard errors.isEmpty, let customerID, let channel else { throw Problem.validation(errors) }
        return (customerID, channel, limit)
    }
}
