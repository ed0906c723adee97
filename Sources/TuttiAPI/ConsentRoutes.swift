import Crypto
import Foundation
import Hummingbird
import Logging
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// The preference centre: consent per channel and topic with its evidence, double opt-in for
/// e-mail, and the suppression list.
enum ConsentRoutes {
    struct SetConsentRequest: Decodable {
        var status: String
        var topic: String?
        var source: String?
        var ip: String?
        var userAgent: String?
        var wordingVersion: String?
        var doubleOptIn: Bool?

        enum CodingKeys: String, CodingKey {
            case status, topic, source, ip
            case userAgent = "user_agent"
            case wordingVersion = "wording_version"
            case doubleOptIn = "double_opt_in"
        }
    }

    struct ConsentAnswer: Encodable, Sendable {
        var consent: ConsentResource
        var confirmationToken: String?

        enum CodingKeys: String, CodingKey {
            case consent
            case confirmationToken = "confirmation_token"
        }
    }

    struct ConfirmRequest: Decodable { var token: String }

    struct SuppressionRequest: Decodable {
        var identity: IdentityInput
        var reason: String
        var note: String?
    }

    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        let database = dependencies.database
        let limit = dependencies.maxBodyBytes

        group.put("/customers/:id/consents/:channel") { request, context -> Response in
            let principal = try context.require(.write)
            let id = try context.uuidParameter("id")
            guard let channel = ConsentChannel(rawValue: context.parameters.get("channel") ?? "") else {
                throw Problem.notFound("Unknown channel; consent channels are \(ConsentChannel.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            let body = try await request.decodeJSON(
                SetConsentRequest.self, limit: limit,
                nonNull: ["topic", "source", "ip", "user_agent", "wording_version", "double_opt_in"])
            var status = try parseStatus(body.status)
            let topic: String
            do throws(ValidationError) { topic = try ConsentTopic.validate(body.topic) } catch { throw error.problem }
            let doubleOptIn = body.doubleOptIn == true && status == .optedIn
            if body.doubleOptIn == true, channel != .email {
                throw ValidationError(field: "double_opt_in", message: "applies to the email channel only").problem
            }
            if doubleOptIn { status = .pending }
            let change = ConsentChange(
                channel: channel, topic: topic, status: status, source: body.source ?? "api", ip: body.ip,
                userAgent: body.userAgent, wordingVersion: body.wordingVersion)
            let answer = try await database.withCustomers(principal, logger: context.logger) { session -> ConsentAnswer? in
                guard let live = try await session.customerResolve(id: id) else { return nil }
                let state = try await session.consentSet(customerID: live, change)
                let token = doubleOptIn
                    ? DoubleOptInToken(tenantID: principal.tenantID, customerID: live, topic: topic, wordingVersion: body.wordingVersion,
                                       expires: Date().addingTimeInterval(7 * 24 * 3600))
                        .signed(with: try await session.tenantSigningKey())
                    : nil
                return ConsentAnswer(consent: ConsentResource(state), confirmationToken: token)
            }
            guard let answer else { throw Problem.notFound("No customer with this id.") }
            return try JSONResponse.make(.ok, answer)
        }

        group.get("/customers/:id/consents") { _, context -> Response in
            let principal = try context.require(.read)
            let id = try context.uuidParameter("id")
            let states = try await database.withCustomers(principal, logger: context.logger) { session -> [ConsentState]? in
                guard let live = try await session.customerResolve(id: id) else { return nil }
                return try await session.consentList(customerID: live)
            }
            guard let states else { throw Problem.notFound("No customer with this id.") }
            return try JSONResponse.make(.ok, ListResource(data: states.map(ConsentResource.init), nextCursor: nil))
        }

        group.post("/suppressions") { request, context -> Response in
            let principal = try context.require(.write)
            let body = try await request.decodeJSON(SuppressionRequest.self, limit: limit, nonNull: ["note"])
            guard let reason = SuppressionReason(rawValue: body.reason) else {
                throw ValidationError(field: "reason", message: "must be one of \(SuppressionReason.allCases.map(\.rawValue).joined(separator: ", "))").problem
            }
            let identity = try await database.withCustomers(principal, logger: context.logger) { session -> Identity in
                let identity = try await session.withDefaultCountry { try [body.identity].normalized(defaultCountry: $0, field: "identity")[0] }
                try await session.suppressionSet(identity, reason: reason, note: body.note)
                return identity
            }
            return try JSONResponse.make(.created, SuppressionResource(identity: identity, reason: reason, createdAt: Date()))
        }

        group.get("/suppressions") { request, context -> Response in
            let principal = try context.require(.read)
            let identity = try parseIdentityQuery(request)
            let found = try await database.withCustomers(principal, logger: context.logger) { try await $0.suppressionList([identity]) }
            return try JSONResponse.make(.ok, ListResource(data: found.map { SuppressionResource(identity: $0.0, reason: $0.1, createdAt: $0.2) }, nextCursor: nil))
        }

        group.delete("/suppressions") { request, context -> Response in
            let principal = try context.require(.write)
            let identity = try parseIdentityQuery(request)
            let removed = try await database.withCustomers(principal, logger: context.logger) { try await $0.suppressionRemove(identity) }
            guard removed else { throw Problem.notFound("This identity is not suppressed.") }
            return JSONResponse.noContent()
        }
    }

    /// `POST /v1/consents/confirm`: the link in a double opt-in e-mail lands here. The signed
    /// token is the credential, so the route takes no API key.
    static func addPublicRoutes(to router: some RouterMethods<APIRequestContext>, dependencies: APIDependencies) {
        router.post("/v1/consents/confirm") { request, context -> Response in
            let body = try await request.decodeJSON(ConfirmRequest.self, limit: 4096)
            // A malformed token is as invalid as a forged one: one answer, as the document says.
            let invalid = Problem(
                .forbidden, slug: "invalid-token", title: "Invalid Token",
                detail: "The confirmation token is not valid or has expired.")
            guard let claimed = DoubleOptInToken.unverified(body.token) else { throw invalid }
            let state = try await dependencies.database.withTenant(claimed.tenantID, logger: context.logger) { session -> ConsentState? in
                guard let key = try? await session.tenantSigningKey(), DoubleOptInToken.verify(body.token, key: key) != nil,
                    claimed.expires > Date(), let live = try await session.customerResolve(id: claimed.customerID)
                else { return nil }
                return try await session.consentSet(customerID: live, ConsentChange(
                    channel: .email, topic: claimed.topic, status: .optedIn, source: "double_opt_in",
                    wordingVersion: claimed.wordingVersion))
            }
            guard let state else { throw invalid }
            return try JSONResponse.make(.ok, ConsentResource(state))
        }
    }

    static func parseStatus(_ text: String) throws -> ConsentStatus {
        guard let status = ConsentStatus(rawValue: text), status != .pending else {
            throw ValidationError(field: "status", message: "must be opted_in, opted_out or unknown").problem
        }
        return status
    }

    static func parseIdentityQuery(_ request: Request) throws -> Identity {
        guard let text = request.uri.queryParameters["identity"].map(String.init) else {
            throw Problem.badRequest("identity is required (type:value).", slug: "invalid-query")
        }
        do throws(ValidationError) { return try Identity(parsing: text) } catch {
            throw Problem.badRequest("identity \(error.message).", slug: "invalid-query")
        }
    }
}

/// A signed, expiring token confirming an e-mail opt-in: base64url(JSON payload) "."
/// base64url(HMAC-SHA256(tenant signing key, payload)).
struct DoubleOptInToken: Codable, Sendable {
    var tenantID: UUID
    var customerID: UUID
    var topic: String
    var wordingVersion: String?
    var expires: Date

    func signed(with key: Data) -> String {
        let payload = (try? JSONEncoder().encode(self)) ?? Data()
        let signature = HMAC<SHA256>.authenticationCode(for: payload, using: SymmetricKey(data: key))
        return Base64URL.encode(payload) + "." + Base64URL.encode(Data(signature))
    }

    /// The payload, before its signature is checked (to learn which tenant's key checks it).
    static func unverified(_ token: String) -> DoubleOptInToken? {
        let parts = token.split(separator: ".")
        guard parts.count == 2, let payload = Base64URL.decode(String(parts[0])) else { return nil }
        return try? JSONDecoder().decode(DoubleOptInToken.self, from: payload)
    }

    static func verify(_ token: String, key: Data) -> DoubleOptInToken? {
        let parts = token.split(separator: ".")
        guard parts.count == 2, let payload = Base64URL.decode(String(parts[0])), let signature = Base64URL.decode(String(parts[1])),
            HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: payload, using: SymmetricKey(data: key))
        else { return nil }
        return try? JSONDecoder().decode(DoubleOptInToken.self, from: payload)
    }
}
