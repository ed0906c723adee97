import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiAPI
import TuttiRuntime
import TuttiTestSupport

@Suite("Attribute sources")
struct AttributeSourceTests {
    @Test func everyWayOfAppendingDataNotesTheSourceOfEachAttributeItWrites() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            // An import creates the customer in bulk: every key it writes is the import's.
            let (status, _) = try await client.importRows(
                tenant, #"{"identities": [{"type": "external_id", "value": "crm-1"}], "attributes": {"plan": "gold", "city": "Paris", "score": 7}}"# + "\n",
                query: "?source=crm")
            #expect(status == .created)
            let id = try #require(try await client.findCustomer(tenant, "external_id:crm-1")?["id"] as? String)
            var sources = try await client.attributeSources(tenant, id)
            #expect(sources.mapValues(\.source) == ["plan": "import:crm", "city": "import:crm", "score": "import:crm"])

            // A second import updates it in bulk; only the keys it writes change hands.
            _ = try await client.importRows(
                tenant, #"{"identities": [{"type": "external_id", "value": "crm-1"}], "attributes": {"score": 9}}"# + "\n", query: "?source=erp")
            // The API, then Segment's identify.
            let (patched, _) = try await client.send(.patch, "/v1/customers/\(id)", tenant, json: #"{"attributes": {"city": "Lyon"}}"#)
            #expect(patched == .ok)
            let (ingested, answer) = try await client.ingest(
                tenant, "/v1/identify", #"{"userId": "crm-1", "traits": {"first_name": "Ann", "plan": null}, "messageId": "s-1"}"#)
            #expect(ingested == .ok, "\(answer)")

            sources = try await client.attributeSources(tenant, id)
            #expect(sources.mapValues(\.source) == [
                "score": "import:erp", "city": "api", "first_name": "segment",
                // A removal is noted too: Segment removed the plan.
                "plan": "segment",
            ])
            #expect(sources.values.allSatisfy { $0.at != nil })
            let (_, current) = try await client.send(.get, "/v1/customers/\(id)/attributes", tenant)
            #expect((current["attributes"] as? [String: Any])?.keys.sorted() == ["city", "first_name", "score"])

            // The export carries the same map.
            let (exported, export) = try await client.send(.get, "/v1/customers/\(id)/export", tenant)
            #expect(exported == .ok)
            let exportedSources = try #require(export["attribute_sources"] as? [String: [String: Any]])
            #expect(exportedSources.mapValues { $0["source"] as? String } == sources.mapValues(\.source))
        }
    }

    @Test func rowsWrittenOneByOneAndMergesKeepEachValuesSource() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let ann = try await client.customer(tenant, identities: [("email", "ann@example.com")], attributes: #"{"plan": "gold"}"#)
            let phone = try await client.customer(tenant, identities: [("phone", "+33612345678")], attributes: #"{"city": "Lille"}"#)
            // The first row merges the two customers (written one by one); the second shares an
            // identity with it (one by one as well, in line order).
            let body = """
                {"identities": [{"type": "email", "value": "ann@example.com"}, {"type": "phone", "value": "+33612345678"}], "attributes": {"vip": true}}
                {"identities": [{"type": "email", "value": "ann@example.com"}], "attributes": {"tier": 2}}

                """
            let (status, answer) = try await client.importRows(tenant, body, query: "?source=crm")
            #expect(status == .created)
            #expect(answer["rows_ok"] as? Int == 2)
            let sources = try await client.attributeSources(tenant, ann)
            #expect(sources.mapValues(\.source) == ["plan": "api", "city": "api", "vip": "import:crm", "tier": "import:crm"])
            // The merged-away id resolves to the survivor here too.
            #expect(try await client.attributeSources(tenant, phone).mapValues(\.source) == sources.mapValues(\.source))
        }
    }

    @Test func anUnknownCustomerHasNoAttributesToShow() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let (status, _) = try await client.send(.get, "/v1/customers/\(UUID().uuidString.lowercased())/attributes", tenant)
            #expect(status == .notFound)
        }
    }
}

extension TestClientProtocol {
    /// `GET /v1/customers/{id}/attributes`'s `attribute_sources`, as (source, at) per key.
    func attributeSources(_ tenant: CreatedTenant, _ id: String) async throws -> [String: (source: String?, at: String?)] {
        let (status, json) = try await send(.get, "/v1/customers/\(id)/attributes", tenant)
        try #require(status == .ok, "attributes answered \(status): \(json)")
        let map = try #require(json["attribute_sources"] as? [String: [String: Any]])
        return map.mapValues { ($0["source"] as? String, $0["at"] as? String) }
    }
}
