import Foundation
import Hummingbird
import Logging
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// `POST /v1/tenants` (operator token) and `GET/PATCH /v1/tenant` (the caller's own tenant).
enum TenantRoutes {
    struct CreateTenantRequest: Decodable {
        var name: String
    }

    struct UpdateTenantRequest: Decodable {
        var name: String?
        var defaultCountry: String?
        var timeZone: String?
        var smsSegmentLimit: Int?
        /// The SMS HELP answer; "" goes back to the default.
        var smsHelpText: String?

        enum CodingKeys: String, CodingKey {
            case name
            case defaultCountry = "default_country"
            case timeZone = "time_zone"
            case smsSegmentLimit = "sms_segment_limit"
            case smsHelpText = "sms_help_text"
        }
    }

    static func addOperatorRoutes(to router: some RouterMethods<APIRequestContext>, dependencies: APIDependencies) {
        let operatorToken = OperatorToken(configured: dependencies.configuration.operatorToken)
        router.post("/v1/tenants") { request, context -> Response in
            try operatorToken.authorize(request)
            let body = try await request.decodeJSON(CreateTenantRequest.self, limit: dependencies.maxBodyBytes)
            let name: String
            do throws(ValidationError) { name = try DisplayName.validate(body.name) } catch { throw error.problem }
            let tenantID = UUID.v7()
            let (tenant, issued) = try await dependencies.database.withTenant(tenantID, logger: context.logger) { session in
                let tenant = try await session.tenantInsert(name: name)
                let issued = try await session.apiKeyIssue(name: "First admin key", role: .admin)
                return (tenant, issued)
            }
            context.logger.notice("tenant created", metadata: ["tenant.id": "\(tenant.id.lowercasedText)"])
            return try JSONResponse.make(
                .created, TenantCreatedResource(tenant: TenantResource(tenant), apiKey: APIKeyResource(issued.key, token: issued.token)))
        }
    }

    static func addTenantRoutes(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        group.get("/tenant") { _, context -> Response in
            let principal = try context.require(.read)
            let found = try await dependencies.database.withTenant(principal.tenantID, logger: context.logger) { session in
                guard let tenant = try await session.tenantGet() else { return TenantResource?.none }
                var resource = TenantResource(tenant, timeZone: try await session.tenantTimeZone())
                resource.smsHelpText = try await session.tenantSMSHelpText()
                return resource
            }
            guard let found else { throw Problem.notFound("The tenant no longer exists.") }
            return try JSONResponse.make(.ok, found)
        }
        group.patch("/tenant") { request, context -> Response in
            let principal = try context.require(.administer)
            let body = try await request.decodeJSON(
                UpdateTenantRequest.self, limit: dependencies.maxBodyBytes,
                nonNull: ["name", "default_country", "time_zone", "sms_segment_limit", "sms_help_text"])
            var name: String?
            if let raw = body.name {
                do throws(ValidationError) { name = try DisplayName.validate(raw) } catch { throw error.problem }
            }
            if let country = body.defaultCountry, !country.isEmpty, PhoneNumber.callingCodes[country] == nil {
                throw ValidationError(field: "default_country", message: "must be an ISO 3166 alpha-2 code Tutti knows the calling code of (such as FR, US)").problem
            }
            if let limit = body.smsSegmentLimit, !(1...255).contains(limit) {
                throw ValidationError(field: "sms_segment_limit", message: "must be a whole number from 1 to 255").problem
            }
            if let zone = body.timeZone, TimeZone(identifier: zone) == nil { throw unknownTimeZone() }
            if let help = body.smsHelpText,
                help.count > 1600 || help.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F })
            {
                throw ValidationError(
                    field: "sms_help_text", message: "must be at most 1600 characters without control characters"
                ).problem
            }
            let found = try await dependencies.database.withTenant(principal.tenantID, logger: context.logger) { session in
                if let zone = body.timeZone, try await !session.tenantSetTimeZone(zone) { throw unknownTimeZone() }
                if let help = body.smsHelpText { try await session.tenantSetSMSHelpText(help.isEmpty ? nil : help) }
                guard
                    let tenant = try await session.tenantUpdate(
                        name: name, defaultCountry: body.defaultCountry, smsSegmentLimit: body.smsSegmentLimit)
                else { return TenantResource?.none }
                var resource = TenantResource(tenant, timeZone: try await session.tenantTimeZone())
                resource.smsHelpText = try await session.tenantSMSHelpText()
                return resource
            }
            guard let found else { throw Problem.notFound("The tenant no longer exists.") }
            return try JSONResponse.make(.ok, found)
        }
    }

    /// The 422 for a `time_zone` that is not an IANA zone both Swift and PostgreSQL know.
    static func unknownTimeZone() -> Problem {
        ValidationError(field: "time_zone", message: "must be an IANA time zone name (such as Europe/Berlin, America/New_York, UTC)").problem
    }
}
