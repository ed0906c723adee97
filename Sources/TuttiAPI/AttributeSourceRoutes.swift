import Foundation
import Hummingbird
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// `GET /v1/customers/{id}/attributes`: a customer's attributes with, key by key, where and
/// when each was last written (data append from imports, the API and Segment notes its source).
///
/// A route of its own rather than a member of every customer resource: the customer read
/// behind lookups is one tuned statement, and most readers never need the provenance.
enum AttributeSourceRoutes {
    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        let database = dependencies.database

        group.get("/customers/:id/attributes") { _, context -> Response in
            let principal = try context.require(.read)
            let id = try context.uuidParameter("id")
            let found = try await database.withCustomers(principal, logger: context.logger) { session -> (UUID, TimedAttributes)? in
                guard let live = try await session.customerResolve(id: id),
                    let attributes = try await session.customerAttributeSources(id: live)
                else { return nil }
                return (live, attributes)
            }
            guard let (live, attributes) = found else { throw Problem.notFound("No customer with this id.") }
            return try JSONResponse.make(.ok, AttributeSourcesResource(customerID: live, attributes))
        }
    }
}

/// A customer's attributes and their provenance, as the API shows them.
struct AttributeSourcesResource: Encodable, Sendable {
    var customerID: String
    var attributes: [String: JSONValue]
    var attributeSources: [String: AttributeSourceJSON]

    enum CodingKeys: String, CodingKey {
        case attributes
        case customerID = "customer_id"
        case attributeSources = "attribute_sources"
    }

    init(customerID: UUID, _ attributes: TimedAttributes) {
        self.customerID = customerID.lowercasedText
        self.attributes = attributes.values
        attributeSources = AttributeSourceJSON.map(attributes)
    }
}

/// Where and when one attribute key was last written. A key removed (written as `null`) keeps
/// its entry, so the map also says who removed it.
struct AttributeSourceJSON: Encodable, Sendable, Equatable {
    /// `api`, `segment`, `import:<source>`; absent for keys written before sources were kept.
    var source: String?
    var at: Date

    /// Every key with a recorded write time.
    static func map(_ attributes: TimedAttributes) -> [String: AttributeSourceJSON] {
        attributes.times.reduce(into: [:]) { map, entry in
            map[entry.key] = AttributeSourceJSON(source: attributes.sources[entry.key], at: entry.value)
        }
    }
}
