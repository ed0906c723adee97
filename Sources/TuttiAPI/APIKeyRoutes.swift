import Foundation
import Hummingbird
import Logging
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// `GET/POST /v1/api-keys`, `GET/PATCH/DELETE /v1/api-keys/{id}`: administrators manage their
/// tenant's keys. Another tenant's key id answers 404, exactly like an id that never existed.
enum APIKeyRoutes {
    struct CreateKeyRequest: Decodable {
        var name: String
        var role: String
    }

    struct UpdateKeyRequest: Decodable {
        var name: String?
    }

    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        let database = dependencies.database

        group.get("/api-keys") { request, context -> Response in
            let principal = try context.require(.administer)
            let pageRequest = try request.pageRequest()
            let page = try await database.withTenant(principal.tenantID, logger: context.logger) { session in
                try await session.apiKeyList(page: pageRequest)
            }
            return try JSONResponse.make(.ok, ListResource(data: page.items.map { APIKeyResource($0) }, nextCursor: page.nextCursor))
        }

        group.post("/api-keys") { request, context -> Response in
            let principal = try context.require(.administer)
            let body = try await request.decodeJSON(CreateKeyRequest.self, limit: dependencies.maxBodyBytes)
            var errors: [Problem.FieldError] = []
            var name = ""
            do throws(ValidationError) { name = try DisplayName.validate(body.name) } catch { errors.append(.init(field: error.field, message: error.message)) }
            let role = APIKeyRole(rawValue: body.role)
            if role == nil {
                errors.append(.init(field: "role", message: "must be one of \(APIKeyRole.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
            guard let role, errors.isEmpty else { throw Problem.validation(errors) }
            let issued = try await database.withTenant(principal.tenantID, logger: context.logger) { session in
                try await session.apiKeyIssue(name: name, role: role)
            }
            context.logger.notice("api key issued", metadata: ["api_key.new_id": "\(issued.key.id.lowercasedText)", "api_key.role": "\(role.rawValue)"])
            return try JSONResponse.make(.created, APIKeyResource(issued.key, token: issued.token))
        }

        group.get("/api-keys/:id") { _, context -> Response in
            let principal = try context.require(.administer)
            let id = try context.uuidParameter("id")
            let key = try await database.withTenant(principal.tenantID, logger: context.logger) { session in
                try await session.apiKeyGet(id: id)
            }
            guard let key else { throw Problem.notFound("No API key with this id.") }
            return try JSONResponse.make(.ok, APIKeyResource(key))
        }

        group.patch("/api-keys/:id") { request, context -> Response in
            let principal = try context.require(.administer)
            let id = try context.uuidParameter("id")
            let body = try await request.decodeJSON(UpdateKeyRequest.self, limit: dependencies.maxBodyBytes, nonNull: ["name"])
            var name: String?
            if let raw = body.name {
                do throws(ValidationError) { name = try DisplayName.validate(raw) } catch { throw error.problem }
            }
            let key = try await database.withTenant(principal.tenantID, logger: context.logger) { session in
                if let name { return try await session.apiKeyRename(id: id, name: name) }
                return try await session.apiKeyGet(id: id)
            }
            guard let key else { throw Problem.notFound("No API key with this id.") }
            return try JSONResponse.make(.ok, APIKeyResource(key))
        }

        group.delete("/api-keys/:id") { _, context -> Response in
            let principal = try context.require(.administer)
            let id = try context.uuidParameter("id")
            let key = try await database.withTenant(principal.tenantID, logger: context.logger) { session in
                try await session.apiKeyRevoke(id: id)
            }
            guard let key else { throw Problem.notFound("No API key with this id.") }
            // The NOTIFY reaches this process too, but a moment later: a client that revokes and
            // then tries the key must be refused by this process already.
            dependencies.apiKeyCache?.evict(.key(prefix: key.prefix))
            context.logger.notice("api key revoked", metadata: ["api_key.revoked_id": "\(id.lowercasedText)"])
            return JSONResponse.noContent()
        }
    }
}
