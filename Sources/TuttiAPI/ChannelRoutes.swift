import Curl
import Foundation
import Hummingbird
import Logging
import TuttiConnectors
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// Channels: the tenant's gateway configurations. `GET/POST /v1/channels`,
/// `GET/PATCH/DELETE /v1/channels/{id}`, `POST /v1/channels/{id}/test` (docs/channels.md).
///
/// Credentials are sealed before they reach the database and masked in every answer; reads
/// never open them. Creating, changing and deleting need an admin key (a channel holds the
/// tenant's gateway credentials); a test send needs a key that may write.
enum ChannelRoutes {
    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        let database = dependencies.database
        let limit = dependencies.maxBodyBytes
        let keyring = dependencies.configuration.channelKeys

        group.get("/channels") { request, context -> Response in
            let principal = try context.require(.read)
            let pageRequest = try request.pageRequest()
            let page = try await database.withTenant(principal.tenantID, logger: context.logger) { try await $0.channelList(page: pageRequest) }
            return try JSONResponse.make(.ok, ListResource(data: page.items.map(ChannelResource.init), nextCursor: page.nextCursor))
        }

        group.post("/channels") { request, context -> Response in
            let principal = try context.require(.administer)
            let body = ChannelWriteBody(try await request.decodeJSONObject(limit: limit))
            var errors = body.errors
            if body.type == nil && !errors.contains(where: { $0.field == "type" }) { errors.append(.init(field: "type", message: "is required")) }
            if body.name == nil && !errors.contains(where: { $0.field == "name" }) { errors.append(.init(field: "name", message: "is required")) }
            if body.config == nil && !errors.contains(where: { $0.field == "config" }) { errors.append(.init(field: "config", message: "is required")) }
            var configuration: ChannelConfiguration?
            if let type = body.type, let config = body.config {
                do throws(ChannelConfigurationError) {
                    configuration = try ChannelConfiguration(type: type, fields: config)
                } catch {
                    errors += error.problem.errors
                }
            }
            guard errors.isEmpty, let configuration, let name = body.name else { throw Problem.validation(errors) }
            let record = try await database.withChannels(principal, logger: context.logger) { session in
                try await session.channelInsert(
                    name: name, configuration: configuration, rateLimitPerSecond: body.rateLimitPerSecond ?? nil,
                    secondaryChannelID: body.secondaryChannelID ?? nil, keyring: keyring)
            }
            context.logger.info("channel created", metadata: ["channel.id": "\(record.id)", "channel.type": "\(record.type.rawValue)"])
            return try JSONResponse.make(.created, ChannelResource(record))
        }

        group.get("/channels/:id") { _, context -> Response in
            let principal = try context.require(.read)
            let id = try context.uuidParameter("id")
            let record = try await database.withTenant(principal.tenantID, logger: context.logger) { try await $0.channelGet(id: id) }
            guard let record else { throw Problem.notFound("No channel with this id.") }
            return try JSONResponse.make(.ok, ChannelResource(record))
        }

        group.patch("/channels/:id") { request, context -> Response in
            let principal = try context.require(.administer)
            let id = try context.uuidParameter("id")
            let body = ChannelWriteBody(try await request.decodeJSONObject(limit: limit))
            guard body.errors.isEmpty else { throw Problem.validation(body.errors) }
            let record = try await database.withChannels(principal, logger: context.logger) { session -> ChannelRecord? in
                guard var channel = try await session.channelLoad(id: id, keyring: keyring, forUpdate: true) else { return nil }
                if let type = body.type, type != channel.type {
                    throw Problem.validation([.init(field: "type", message: "cannot change; create a new channel of type \(type.rawValue)")])
                }
                if let name = body.name { channel.name = name }
                if let changes = body.config {
                    do throws(ChannelConfigurationError) {
                        channel.configuration = try channel.configuration.patched(with: changes)
                    } catch {
                        throw error.problem
                    }
                }
                if let rate = body.rateLimitPerSecond { channel.rateLimitPerSecond = rate }
                if let secondary = body.secondaryChannelID { channel.secondaryChannelID = secondary }
                return try await session.channelUpdate(channel, keyring: keyring)
            }
            guard let record else { throw Problem.notFound("No channel with this id.") }
            return try JSONResponse.make(.ok, ChannelResource(record))
        }

        group.delete("/channels/:id") { _, context -> Response in
            let principal = try context.require(.administer)
            let id = try context.uuidParameter("id")
            let deleted = try await database.withChannels(principal, logger: context.logger) { try await $0.channelDelete(id: id) }
            guard deleted else { throw Problem.notFound("No channel with this id.") }
            return Response(status: .noContent)
        }

        ChannelTestRoute.add(to: group, dependencies: dependencies)
    }
}

extension Request {
    /// A JSON object body, members unparsed; 400 when the body is JSON but not an object.
    func decodeJSONObject(limit: Int) async throws -> [String: JSONValue] {
        guard let object = try await decodeJSON(JSONValue.self, limit: limit).objectValue else {
            throw Problem.badRequest("The body must be a JSON object.", slug: "malformed-json")
        }
        return object
    }
}

extension Database {
    /// `withTenant` for channel writes: store and key errors become problems.
    func withChannels<Result: Sendable>(_ principal: Principal, logger: Logger, _ body: (TenantSession) async throws -> Result) async throws -> Result {
        do {
            return try await withTenant(principal.tenantID, logger: logger, body)
        } catch let error as ChannelWriteError {
            throw error.problem
        } catch let error as ChannelSecretError {
            logger.error("channel credentials unreadable", metadata: ["error": "\(error)"])
            throw error.problem
        } catch let error as ChannelConfigurationError {
            // Stored settings that no longer pass today's checks: the client can fix them
            // with a PATCH that names the fields.
            throw error.problem
        }
    }
}
