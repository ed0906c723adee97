import Foundation
import Hummingbird
import Logging
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// `POST /v1/messages` (one message to one customer on one channel, through the queue) and
/// `GET /v1/messages/{id}` (its state and every attempt).
enum MessageRoutes {
    struct CreateRequest: Decodable {
        struct Content: Decodable {
            var subject: String?
            var text: String?
            var html: String?
            var data: JSONValue?
        }

        var customerID: UUID
        var channelID: UUID
        var content: Content
        /// Exempt from the contact policy's caps and quiet hours (a receipt, a password reset).
        var transactional: Bool?

        enum CodingKeys: String, CodingKey {
            case content, transactional
            case customerID = "customer_id"
            case channelID = "channel_id"
        }
    }

    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        let database = dependencies.database
        let limit = dependencies.maxBodyBytes

        group.post("/messages") { request, context -> Response in
            let principal = try context.require(.write)
            let body = try await request.decodeJSON(CreateRequest.self, limit: limit, nonNull: ["transactional"])
            let content = MessageContent(
                subject: body.content.subject, text: body.content.text, html: body.content.html, data: body.content.data)
            guard !content.isEmpty else {
                throw Problem.validation([.init(field: "content", message: "must have at least one of subject, text, html, data")]
                )
            }
            do {
                let message = try await database.withTenant(principal.tenantID, logger: context.logger) { session in
                    try await session.messageCreate(
                        customerID: body.customerID, channelID: body.channelID, content: content,
                        transactional: body.transactional ?? false)
                }
                return try JSONResponse.make(.accepted, MessageResource(message))
            } catch let refusal as MessageRefusal {
                throw refusal.problem
            }
        }

        group.get("/messages/:id") { _, context -> Response in
            let principal = try context.require(.read)
            let id = try context.uuidParameter("id")
            let found = try await database.withTenant(principal.tenantID, logger: context.logger) { session in
                guard let message = try await session.messageGet(id: id) else { return (Message, MessageDeliveryResource)?.none }
                return (message, MessageDeliveryResource(try await session.messageDelivery(id: id)))
            }
            guard let found else { throw Problem.notFound("No message with this id.") }
            var resource = MessageResource(found.0)
            found.1.apply(to: &resource)
            return try JSONResponse.make(.ok, resource)
        }
    }
}
