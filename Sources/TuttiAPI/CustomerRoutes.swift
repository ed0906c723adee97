import Foundation
import Hummingbird
import Logging
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// The single customer view: create-or-merge by identities, read, change, look up by any
/// identity, add identities, undo merges, erase.
enum CustomerRoutes {
    struct WriteCustomerRequest: Decodable {
        var identities: [IdentityInput]?
        var attributes: [String: JSONValue]?
    }

    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        let database = dependencies.database
        let limit = dependencies.maxBodyBytes

        group.post("/customers") { request, context -> Response in
            let principal = try context.require(.write)
            let body = try await request.decodeJSON(
                WriteCustomerRequest.self, limit: limit, nonNull: ["identities", "attributes"])
            let attributes = try validatedAttributes(body.attributes)
            guard let inputs = body.identities, !inputs.isEmpty else {
                throw Problem.validation([.init(field: "identities", message: "must name at least one identity")])
            }
            let requestID = context.requestID
            let (customer, result) = try await database.withCustomers(principal, logger: context.logger) { session in
                let identities = try await session.withDefaultCountry { try inputs.normalized(defaultCountry: $0) }
                let result = try await session.customerWrite(
                    CustomerWrite(identities: identities, attributes: attributes, source: "api"), requestID: requestID)
                return (try await session.customerGet(id: result.customerID), result)
            }
            guard let customer else { throw Problem.notFound() }
            return try JSONResponse.make(result.created ? .created : .ok, CustomerResource(customer, merges: result.merges))
        }

        group.get("/customers") { request, context -> Response in
            let principal = try context.require(.read)
            guard let identityText = request.uri.queryParameters["identity"].map(String.init) else {
                return try await list(request: request, context: context, principal: principal, database: database)
            }
            // A lookup answers one page; its limit and cursor are still checked as documented.
            _ = try request.pageRequest()
            let identity: Identity
            if let parsed = try? Identity(parsing: identityText, defaultCountry: nil) {
                identity = parsed
            } else {
                // Only a national phone number needs the tenant's default country.
                identity = try await database.withCustomers(principal, logger: context.logger) { session -> Identity in
                    do {
                        return try await session.withDefaultCountry { try Identity(parsing: identityText, defaultCountry: $0) }
                    } catch let error as ValidationError {
                        throw Problem.badRequest("identity \(error.message) (write it as type:value, e.g. email:ann@example.com).", slug: "invalid-query")
                    }
                }
            }
            // The hot path (p99 target 2 ms): one round trip, no transaction, and PostgreSQL's
            // JSON passed through.
            let document = try await database.customerDocument(tenantID: principal.tenantID, identity: identity, id: nil, logger: context.logger)
            return CustomerDocumentResponse.list(document)
        }

        group.get("/customers/:id") { _, context -> Response in
            let principal = try context.require(.read)
            let id = try context.uuidParameter("id")
            let document = try await database.customerDocument(tenantID: principal.tenantID, identity: nil, id: id, logger: context.logger)
            guard let document else { throw Problem.notFound("No customer with this id.") }
            return CustomerDocumentResponse.single(document)
        }

        group.patch("/customers/:id") { request, context -> Response in
            let principal = try context.require(.write)
            let id = try context.uuidParameter("id")
            let body = try await request.decodeJSON(
                WriteCustomerRequest.self, limit: limit, nonNull: ["identities", "attributes"])
            let attributes = try validatedAttributes(body.attributes)
            let customer = try await write(id: id, inputs: body.identities ?? [], attributes: attributes, principal: principal, context: context, database: database)
            return try JSONResponse.make(.ok, CustomerResource(customer.0, merges: customer.1))
        }

        group.post("/customers/:id/identities") { request, context -> Response in
            let principal = try context.require(.write)
            let id = try context.uuidParameter("id")
            let body = try await request.decodeJSON(
                WriteCustomerRequest.self, limit: limit, nonNull: ["identities", "attributes"])
            guard let inputs = body.identities, !inputs.isEmpty else {
                throw Problem.validation([.init(field: "identities", message: "must name at least one identity")])
            }
            let customer = try await write(id: id, inputs: inputs, attributes: [:], principal: principal, context: context, database: database)
            return try JSONResponse.make(.ok, CustomerResource(customer.0, merges: customer.1))
        }

        group.post("/customers/:id/merges/:merge_id/undo") { _, context -> Response in
            let principal = try context.require(.write)
            let id = try context.uuidParameter("id")
            let mergeID = try context.uuidParameter("merge_id")
            let merge = try await database.withCustomers(principal, logger: context.logger) { session in
                try await session.customerMergeUndo(customerID: id, mergeID: mergeID)
            }
            return try JSONResponse.make(.ok, MergeResource(merge))
        }

        group.get("/customers/:id/merges") { _, context -> Response in
            let principal = try context.require(.read)
            let id = try context.uuidParameter("id")
            let merges = try await database.withCustomers(principal, logger: context.logger) { session -> [CustomerMergeRecord]? in
                guard let live = try await session.customerResolve(id: id) else { return nil }
                return try await session.customerMerges(customerIDs: try await session.customerMembers(id: live))
            }
            guard let merges else { throw Problem.notFound("No customer with this id.") }
            return try JSONResponse.make(.ok, ListResource(data: merges.map(MergeResource.init), nextCursor: nil))
        }

        group.delete("/customers/:id") { _, context -> Response in
            let principal = try context.require(.write)
            let id = try context.uuidParameter("id")
            let requestID = context.requestID
            let report = try await database.withCustomers(principal, logger: context.logger) { session -> ErasureReport? in
                guard let live = try await session.customerResolve(id: id) else { return nil }
                return try await session.customerErase(id: live, requestID: requestID)
            }
            guard let report else { throw Problem.notFound("No customer with this id.") }
            context.logger.notice("customer erased", metadata: ["customer.id": "\(id.lowercasedText)"])
            return try JSONResponse.make(.ok, ErasureResource(report))
        }
    }

    /// Writes identities and attributes onto the live customer `id` resolves to.
    private static func write(
        id: UUID, inputs: [IdentityInput], attributes: [String: JSONValue], principal: Principal,
        context: APIRequestContext, database: Database
    ) async throws -> (Customer, [CustomerMergeRecord]) {
        let requestID = context.requestID
        let (customer, merges) = try await database.withCustomers(principal, logger: context.logger) { session in
            let identities = try await session.withDefaultCountry { try inputs.normalized(defaultCountry: $0) }
            let result = try await session.customerWrite(
                CustomerWrite(identities: identities, attributes: attributes, source: "api", customerID: id), requestID: requestID)
            return (try await session.customerGet(id: result.customerID), result.merges)
        }
        guard let customer else { throw Problem.notFound("No customer with this id.") }
        return (customer, merges)
    }

    private static func list(request: Request, context: APIRequestContext, principal: Principal, database: Database) async throws -> Response {
        let page = try request.pageRequest()
        let customers = try await database.withCustomers(principal, logger: context.logger) { try await $0.customerList(page: page) }
        return try JSONResponse.make(.ok, ListResource(data: customers.items.map { CustomerResource($0) }, nextCursor: customers.nextCursor))
    }

    static func validatedAttributes(_ attributes: [String: JSONValue]?) throws -> [String: JSONValue] {
        guard let attributes else { return [:] }
        do throws(ValidationErrors) { return try CustomerAttributes.validate(attributes) } catch { throw error.problem }
    }
}

/// What an erasure removed, as the API shows it.
struct ErasureResource: Encodable, Sendable {
    var erased: Bool = true
    var customerIDs: [String]
    var identities: Int
    var events: Int

    enum CodingKeys: String, CodingKey {
        case erased, identities, events
        case customerIDs = "customer_ids"
    }

    init(_ report: ErasureReport) {
        customerIDs = report.customerIDs.map(\.lowercasedText)
        identities = report.identities
        events = report.events
    }
}

extension APIRequestContext {
    /// This request's id, as logged and returned in `X-Request-Id`.
    var requestID: String? { logger[metadataKey: RequestIDMiddleware<APIRequestContext>.metadataKey]?.description }
}
