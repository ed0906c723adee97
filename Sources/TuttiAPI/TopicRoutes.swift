import Foundation
import Hummingbird
import Logging
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// Topics: `GET/POST /v1/topics`, `GET/PATCH/DELETE /v1/topics/{id}` (docs/closed-loop.md,
/// "Topics"). Consent per topic lives in the consent ledger under the topic's `key`; a
/// campaign names the topic its messages belong to with `topic`.
///
/// `PATCH` is a JSON merge patch (RFC 7396) over the topic as `GET` shows its own fields.
enum TopicRoutes {
    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        let database = dependencies.database
        let limit = dependencies.maxBodyBytes

        group.get("/topics") { _, context -> Response in
            let principal = try context.require(.read)
            let topics = try await database.withTenant(principal.tenantID, logger: context.logger) { try await $0.topicList() }
            return try JSONResponse.make(.ok, ListResource(data: topics.map(TopicResource.init), nextCursor: nil))
        }

        group.post("/topics") { request, context -> Response in
            let principal = try context.require(.administer)
            let definition = try check(try await OfferInput.json(request, limit: limit))
            let topic = try await database.withTopics(principal, logger: context.logger) { try await $0.topicInsert(definition) }
            return try JSONResponse.make(.created, TopicResource(topic))
        }

        group.get("/topics/:id") { _, context -> Response in
            let principal = try context.require(.read)
            let id = try context.uuidParameter("id")
            let topic = try await database.withTenant(principal.tenantID, logger: context.logger) {
                try await $0.topicGet(id: id)
            }
            guard let topic else { throw Problem.notFound("No topic with this id.") }
            return try JSONResponse.make(.ok, TopicResource(topic))
        }

        group.patch("/topics/:id") { request, context -> Response in
            let principal = try context.require(.administer)
            let id = try context.uuidParameter("id")
            let patch = try await OfferInput.json(request, limit: limit)
            guard case .object(let members) = patch else {
                throw Problem.validation([.init(field: nil, message: "must be a JSON object")])
            }
            let topic = try await database.withTopics(principal, logger: context.logger) { session -> Topic? in
                guard let current = try await session.topicGet(id: id) else { return nil }
                let definition: TopicDefinition
                do throws(ValidationErrors) { definition = try current.definition.patched(with: members) } catch {
                    throw Problem.validation(
                        error.errors.map { .init(field: $0.field.isEmpty ? nil : $0.field, message: $0.message) })
                }
                return try await session.topicUpdate(id: id, definition, now: Date())
            }
            guard let topic else { throw Problem.notFound("No topic with this id.") }
            return try JSONResponse.make(.ok, TopicResource(topic))
        }

        group.delete("/topics/:id") { _, context -> Response in
            let principal = try context.require(.administer)
            let id = try context.uuidParameter("id")
            let deleted = try await database.withTenant(principal.tenantID, logger: context.logger) {
                try await $0.topicDelete(id: id)
            }
            guard deleted else { throw Problem.notFound("No topic with this id.") }
            return Response(status: .noContent)
        }
    }

    static func check(_ json: JSONValue) throws -> TopicDefinition {
        do throws(ValidationErrors) { return try TopicDefinition(json: json) } catch {
            throw Problem.validation(error.errors.map { .init(field: $0.field.isEmpty ? nil : $0.field, message: $0.message) })
        }
    }
}

extension Database {
    /// `withTenant` for topic writes: a key in use becomes a 409.
    func withTopics<Result: Sendable>(_ principal: Principal, logger: Logger, _ body: (TenantSession) async throws -> Result)
        async throws -> Result
    {
        do {
            return try await withTenant(principal.tenantID, logger: logger, body)
        } catch let error as TopicKeyTaken {
            throw Problem(
                .conflict, slug: "topic-key-taken", title: "Topic key taken",
                detail: "A topic with key \"\(error.key)\" already exists.")
        }
    }
}

/// A topic as the API shows it.
struct TopicResource: Encodable, Sendable {
    var topic: Topic

    init(_ topic: Topic) { self.topic = topic }

    enum CodingKeys: String, CodingKey {
        case id, key, name, description, mandatory, channels
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(topic.id.canonicalText, forKey: .id)
        try container.encode(topic.definition.key, forKey: .key)
        try container.encode(topic.definition.name, forKey: .name)
        try container.encode(topic.definition.description, forKey: .description)
        try container.encode(topic.definition.mandatory, forKey: .mandatory)
        try container.encode(topic.definition.channels.map(\.rawValue), forKey: .channels)
        try container.encode(topic.createdAt, forKey: .createdAt)
        try container.encode(topic.updatedAt, forKey: .updatedAt)
    }
}
