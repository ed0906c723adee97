import Foundation
import Hummingbird
import Logging
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// `GET /v1/customers/{id}/timeline` and `GET /v1/customers/{id}/export`.
enum TimelineRoutes {
    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        let database = dependencies.database

        group.get("/customers/:id/timeline") { request, context -> Response in
            let principal = try context.require(.read)
            let id = try context.uuidParameter("id")
            let parameters = request.uri.queryParameters
            var kinds: Set<TimelineEntry.Kind> = []
            for text in (parameters["kind"].map(String.init) ?? "").split(separator: ",") {
                guard let kind = TimelineEntry.Kind(rawValue: String(text)) else {
                    let known = TimelineEntry.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                    throw Problem.badRequest("kind must be a comma-separated list of \(known).", slug: "invalid-query")
                }
                kinds.insert(kind)
            }
            var limit = PageRequest.defaultLimit
            if let text = parameters["limit"] {
                guard let value = Int(text), (1...PageRequest.maximumLimit).contains(value) else {
                    throw Problem.badRequest("limit must be a whole number from 1 to \(PageRequest.maximumLimit).", slug: "invalid-query")
                }
                limit = value
            }
            var before: (at: Date, id: UUID)?
            if let cursor = parameters["cursor"].map(String.init), !cursor.isEmpty {
                guard let position = TimeCursor.decode(cursor) else {
                    throw Problem.badRequest("cursor is not a cursor this API returned.", slug: "invalid-query")
                }
                before = position
            }
            let channel = parameters["channel"].map(String.init)
            let entries = try await database.withCustomers(principal, logger: context.logger) { session -> [TimelineEntry]? in
                guard let live = try await session.customerResolve(id: id) else { return nil }
                return try await session.timeline(customerID: live, kinds: kinds, channel: channel, before: before, limit: limit + 1)
            }
            guard let entries else { throw Problem.notFound("No customer with this id.") }
            let page = Array(entries.prefix(limit))
            let next = entries.count > limit ? page.last.map { TimeCursor.encode(at: $0.at, id: $0.id) } : nil
            return try JSONResponse.make(.ok, ListResource(data: page.map(TimelineEntryResource.init), nextCursor: next))
        }

        group.get("/customers/:id/export") { _, context -> Response in
            let principal = try context.require(.read)
            let id = try context.uuidParameter("id")
            let export = try await database.withCustomers(principal, logger: context.logger) { session -> CustomerExport? in
                guard let customer = try await session.customerGet(id: id) else { return nil }
                let members = [customer.id] + customer.mergedIDs
                let attributes = try await session.customerAttributeSources(id: customer.id) ?? TimedAttributes()
                return CustomerExport(
                    customer: CustomerResource(customer),
                    attributeSources: AttributeSourceJSON.map(attributes),
                    consents: try await session.consentList(customerID: customer.id).map(ConsentResource.init),
                    consentHistory: try await session.timeline(customerID: customer.id, kinds: [.consent], channel: nil, before: nil, limit: 100_000)
                        .map(TimelineEntryResource.init),
                    merges: try await session.customerMerges(customerIDs: members).map(MergeResource.init),
                    suppressions: try await session.suppressionList(customer.identities.map(\.identity)).map {
                        SuppressionResource(identity: $0.0, reason: $0.1, createdAt: $0.2)
                    },
                    events: try await session.eventExport(customerIDs: members).map(EventResource.init))
            }
            guard let export else { throw Problem.notFound("No customer with this id.") }
            return try JSONResponse.make(.ok, export)
        }
    }
}

/// Everything Tutti holds about one customer (`GET /v1/customers/{id}/export`).
struct CustomerExport: Encodable, Sendable {
    var customer: CustomerResource
    /// Where and when each attribute key was last written (as `GET /v1/customers/{id}/attributes`).
    var attributeSources: [String: AttributeSourceJSON]
    var consents: [ConsentResource]
    var consentHistory: [TimelineEntryResource]
    var merges: [MergeResource]
    var suppressions: [SuppressionResource]
    var events: [EventResource]

    enum CodingKeys: String, CodingKey {
        case customer, consents, merges, suppressions, events
        case consentHistory = "consent_history"
        case attributeSources = "attribute_sources"
    }
}

/// A stored event as the API shows it.
struct EventResource: Encodable, Sendable {
    var id: String
    var customerID: String
    var type: String
    var name: String
    var properties: [String: JSONValue]
    var context: [String: JSONValue]
    var channel: String?
    var messageID: String?
    var occurredAt: String

    enum CodingKeys: String, CodingKey {
        case id, type, name, properties, context, channel
        case customerID = "customer_id"
        case messageID = "message_id"
        case occurredAt = "occurred_at"
    }

    init(_ event: CustomerEvent) {
        id = event.id.lowercasedText
        customerID = event.customerID.lowercasedText
        type = event.kind.rawValue
        name = event.name
        properties = event.properties
        context = event.context
        channel = event.channel
        messageID = event.messageID
        occurredAt = ISO8601.format(event.occurredAt)
    }
}

/// A suppression as the API shows it.
struct SuppressionResource: Encodable, Sendable {
    var identity: String
    var reason: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case identity, reason
        case createdAt = "created_at"
    }

    init(identity: Identity, reason: SuppressionReason, createdAt: Date) {
        self.identity = identity.description
        self.reason = reason.rawValue
        self.createdAt = createdAt
    }
}
