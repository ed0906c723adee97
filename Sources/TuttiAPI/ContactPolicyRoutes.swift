import Foundation
import Hummingbird
import Logging
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// `GET/PUT /v1/contact-policy`: the tenant's caps and quiet hours (docs/contact-policy.md).
enum ContactPolicyRoutes {
    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        let database = dependencies.database

        group.get("/contact-policy") { _, context -> Response in
            let principal = try context.require(.read)
            let stored = try await database.withTenant(principal.tenantID, logger: context.logger) {
                try await $0.contactPolicyGet()
            }
            return try JSONResponse.make(.ok, ContactPolicyResource(stored))
        }

        group.put("/contact-policy") { request, context -> Response in
            let principal = try context.require(.administer)
            let body = try await request.decodeJSON(JSONValue.self, limit: dependencies.maxBodyBytes)
            let policy: ContactPolicy
            do throws(ValidationErrors) { policy = try ContactPolicy(json: body) } catch {
                throw Problem.validation(
                    error.errors.map { .init(field: $0.field.isEmpty ? nil : $0.field, message: $0.message) })
            }
            let stored = try await database.withTenant(principal.tenantID, logger: context.logger) {
                try await $0.contactPolicyPut(policy)
            }
            return try JSONResponse.make(.ok, ContactPolicyResource(stored))
        }
    }
}

/// A contact policy as the API shows it: the document as accepted, with `updated_at` (null
/// when the tenant has no policy).
struct ContactPolicyResource: Encodable, Sendable {
    var policy: JSONValue
    var updatedAt: Date?

    init(_ stored: StoredContactPolicy) {
        policy = stored.policy.json
        updatedAt = stored.updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case caps
        case quietHours = "quiet_hours"
        case updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(policy.objectValue?["caps"] ?? .array([]), forKey: .caps)
        try container.encode(policy.objectValue?["quiet_hours"] ?? .null, forKey: .quietHours)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}
