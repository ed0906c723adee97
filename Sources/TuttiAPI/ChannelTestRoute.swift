import Curl
import Foundation
import Hummingbird
import Logging
import TuttiConnectors
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// `POST /v1/channels/{id}/test`: sends one real message through the channel's connector,
/// now, bypassing the queue, and reports the connector's outcome. For checking credentials
/// and endpoints while setting a channel up; the recipient is given in the body
/// (`{"recipient": "ann@example.com"}`; webhooks need none) and the content defaults to a
/// short test text.
enum ChannelTestRoute {
    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        let database = dependencies.database
        let keyring = dependencies.configuration.channelKeys
        let transport = dependencies.transport

        group.post("/channels/:id/test") { request, context -> Response in
            let principal = try context.require(.write)
            let id = try context.uuidParameter("id")
            let body = try await request.decodeJSON(ChannelTestBody.self, limit: dependencies.maxBodyBytes)
            let channel = try await database.withChannels(principal, logger: context.logger) { try await $0.channelLoad(id: id, keyring: keyring) }
            guard let channel else { throw Problem.notFound("No channel with this id.") }
            if channel.type.recipientIdentity != nil && (body.recipient ?? "").isEmpty {
                throw Problem.validation([.init(field: "recipient", message: "is required for \(channel.type.rawValue) channels")])
            }
            let deliveryID = UUID.v7()
            let delivery = Delivery(
                id: deliveryID, tenantID: principal.tenantID, messageID: deliveryID, customerID: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
                recipient: body.recipient, content: body.content ?? Self.defaultContent(channel))
            let report = await Connectors.connector(for: channel.configuration).send(delivery, through: transport)
            context.logger.info(
                "channel test sent",
                metadata: ["channel.id": "\(channel.id)", "channel.type": "\(channel.type.rawValue)", "delivery.outcome": "\(report.outcome)"])
            return try JSONResponse.make(.ok, ChannelTestResource(deliveryID: deliveryID, report: report))
        }
    }

    static func defaultContent(_ channel: DeliveryChannel) -> MessageContent {
        MessageContent(
            subject: "Tutti test message",
            text: "This is a test message from the Tutti channel \"\(channel.name)\".",
            html: "<p>This is a test message from the Tutti channel \"\(channel.name)\".</p>",
            data: .object(["test": .bool(true)]))
    }
}
