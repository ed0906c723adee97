import Foundation
import Hummingbird
import Logging
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// Social listening as an inbound channel: a mention on a social network lands on the timeline
/// of the customer who holds the handle, or of a new anonymous social profile.
enum SocialRoutes {
    struct MentionRequest: Decodable {
        var network: String
        var handle: String
        var text: String
        var url: String?
        var time: String?
        var sentiment: Double?
    }

    struct MentionAnswer: Encodable, Sendable {
        var customerID: String
        var createdCustomer: Bool
        var stored: Bool

        enum CodingKeys: String, CodingKey {
            case stored
            case customerID = "customer_id"
            case createdCustomer = "created_customer"
        }
    }

    static let networks: [String: IdentityType] = ["x": .x, "twitter": .x, "facebook": .facebook, "instagram": .instagram, "mastodon": .mastodon]

    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        group.post("/social/mentions") { request, context -> Response in
            let principal = try context.require(.ingest)
            let body = try await request.decodeJSON(
                MentionRequest.self, limit: dependencies.maxBodyBytes, nonNull: ["url", "time", "sentiment"])
            var errors: [Problem.FieldError] = []
            let type = networks[body.network.lowercased()]
            if type == nil { errors.append(.init(field: "network", message: "must be one of x, facebook, instagram, mastodon")) }
            var identity: Identity?
            if let type {
                do throws(ValidationError) { identity = try Identity(type: type, value: body.handle, field: "handle") } catch {
                    errors.append(.init(field: error.field, message: error.message))
                }
            }
            var occurredAt = Date()
            if let time = body.time {
                if let parsed = ISO8601.parse(time) { occurredAt = parsed } else { errors.append(.init(field: "time", message: "must be an ISO 8601 date-time")) }
            }
            if let sentiment = body.sentiment, !(-1...1).contains(sentiment) {
                errors.append(.init(field: "sentiment", message: "must be between -1 and 1"))
            }
            if body.text.count > 10_000 { errors.append(.init(field: "text", message: "must be at most 10000 characters")) }
            // PostgreSQL cannot store U+0000: a 422 here rather than a 500 there.
            if body.text.utf8.contains(0) { errors.append(.init(field: "text", message: "must not contain U+0000")) }
            if body.url?.utf8.contains(0) == true { errors.append(.init(field: "url", message: "must not contain U+0000")) }
            guard errors.isEmpty, let identity else { throw Problem.validation(errors) }

            var properties: [String: JSONValue] = [
                "network": .string(body.network.lowercased()), "handle": .string(identity.value), "text": .string(body.text),
            ]
            if let url = body.url { properties["url"] = .string(url) }
            if let sentiment = body.sentiment { properties["sentiment"] = .number(sentiment) }
            let requestID = context.requestID
            let answer = try await dependencies.database.withCustomers(principal, logger: context.logger) { session in
                let result = try await session.customerWrite(
                    CustomerWrite(identities: [identity], source: "social:\(body.network.lowercased())"), requestID: requestID)
                let stored = try await session.eventInsert([CustomerEvent(
                    customerID: result.customerID, kind: .track, name: "Social Mention", properties: properties,
                    channel: "social", occurredAt: occurredAt)])
                return MentionAnswer(customerID: result.customerID.lowercasedText, createdCustomer: result.created, stored: stored == 1)
            }
            return try JSONResponse.make(.created, answer)
        }
    }
}
