import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiRuntime

@Suite("Customers over HTTP")
struct CustomerRouteTests {
    @Test func customerIsCreatedAndFoundByAnyOfItsIdentities() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let (status, created) = try await client.send(.post, "/v1/customers", tenant, json: """
                {"identities": [{"type": "email", "value": " Ann@Example.com "}, {"type": "external_id", "value": "crm-1"}],
                 "attributes": {"first_name": "Ann", "plan": "gold", "address": {"city": "Paris"}}}
                """)
            #expect(status == .created)
            let id = try #require(created["id"] as? String)
            #expect((created["attributes"] as? [String: Any])?["plan"] as? String == "gold")
            for identity in ["email:ann@example.com", "email:ANN@example.com", "external_id:crm-1"] {
                let (_, found) = try await client.send(.get, "/v1/customers?identity=\(identity)", tenant)
                let data = try #require(found["data"] as? [[String: Any]])
                #expect(data.map { $0["id"] as? String } == [id], "lookup by \(identity)")
            }
            let (_, missing) = try await client.send(.get, "/v1/customers?identity=email:nobody@example.com", tenant)
            #expect((missing["data"] as? [Any])?.isEmpty == true)
            #expect(missing.keys.contains("next_cursor"))
        }
    }

    @Test func writingTheSameIdentityAgainUpdatesTheSameCustomer() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let first = try await client.customer(tenant, identities: [("email", "bo@example.com")], attributes: #"{"plan": "gold"}"#)
            let (status, again) = try await client.send(.post, "/v1/customers", tenant, json: #"{"identities": [{"type": "email", "value": "bo@example.com"}], "attributes": {"plan": "silver"}}"#)
            #expect(status == .ok)
            #expect(again["id"] as? String == first)
            #expect((again["attributes"] as? [String: Any])?["plan"] as? String == "silver")
        }
    }

    @Test func patchChangesAndRemovesAttributesAndAddsIdentities() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let id = try await client.customer(tenant, identities: [("email", "cy@example.com")], attributes: #"{"plan": "gold", "city": "Oslo"}"#)
            let (status, patched) = try await client.send(.patch, "/v1/customers/\(id)", tenant, json: """
                {"attributes": {"plan": "platinum", "city": null}, "identities": [{"type": "phone", "value": "+47 912 34 567"}]}
                """)
            #expect(status == .ok)
            let attributes = try #require(patched["attributes"] as? [String: Any])
            #expect(attributes["plan"] as? String == "platinum")
            #expect(attributes["city"] == nil)
            let identities = (patched["identities"] as? [[String: Any]] ?? []).compactMap { $0["value"] as? String }
            #expect(identities.contains("+4791234567"))
        }
    }

    @Test func badCustomerInputGetsProblemsNamingTheField() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let cases: [(String, String)] = [
                (#"{"identities": [{"type": "email", "value": "not-an-email"}]}"#, "identities[0].value"),
                (#"{"identities": [{"type": "phone", "value": "06 12 34 56 78"}]}"#, "identities[0].value"),
                (#"{"identities": [{"type": "fax", "value": "123"}]}"#, "identities[0].type"),
                (#"{"identities": []}"#, "identities"),
                (#"{"identities": [{"type": "email", "value": "a@example.com"}], "attributes": {"birthday": "31/12/1990"}}"#, "attributes.birthday"),
                (#"{"identities": [{"type": "email", "value": "a@example.com"}], "attributes": {"time_zone": "Nowhere"}}"#, "attributes.time_zone"),
            ]
            for (body, field) in cases {
                let response = try await client.execute(uri: "/v1/customers", method: .post, headers: tenant.admin.with(.contentType, "application/json"), body: ByteBuffer(string: body))
                let json = try response.expectProblem(.unprocessableContent)
                let fields = (json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
                #expect(fields.contains(field), "for \(body): \(fields)")
            }
            try await client.execute(uri: "/v1/customers?identity=nonsense", method: .get, headers: tenant.admin) { try $0.expectProblem(.badRequest) }
            try await client.execute(uri: "/v1/customers/not-a-uuid", method: .get, headers: tenant.admin) { try $0.expectProblem(.badRequest) }
            try await client.execute(uri: "/v1/customers/\(UUID().uuidString)", method: .get, headers: tenant.admin) { try $0.expectProblem(.notFound) }
        }
    }

    @Test func nationalPhoneNumbersUseTheTenantsDefaultCountry() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let (status, _) = try await client.send(.patch, "/v1/tenant", tenant, json: #"{"default_country": "FR"}"#)
            #expect(status == .ok)
            let id = try await client.customer(tenant, identities: [("phone", "06 12 34 56 78")])
            let (_, found) = try await client.send(.get, "/v1/customers?identity=phone:%2B33612345678", tenant)
            #expect((found["data"] as? [[String: Any]])?.first?["id"] as? String == id)
        }
    }

    @Test func tenantACannotSeeOrTouchTenantBsCustomers() async throws {
        try await withAPI { client in
            let a = try await client.createTenant("A")
            let b = try await client.createTenant("B")
            let bCustomer = try await client.customer(b, identities: [("email", "secret@example.com")])
            for (method, uri, body) in [
                (HTTPRequest.Method.get, "/v1/customers/\(bCustomer)", nil as String?),
                (.patch, "/v1/customers/\(bCustomer)", #"{"attributes": {"stolen": true}}"#),
                (.delete, "/v1/customers/\(bCustomer)", nil),
                (.get, "/v1/customers/\(bCustomer)/timeline", nil),
                (.get, "/v1/customers/\(bCustomer)/export", nil),
                (.put, "/v1/customers/\(bCustomer)/consents/email", #"{"status": "opted_out"}"#),
            ] {
                let (status, _) = try await client.send(method, uri, a, json: body)
                #expect(status == .notFound, "\(method) \(uri) answered \(status)")
            }
            let (_, lookup) = try await client.send(.get, "/v1/customers?identity=email:secret@example.com", a)
            #expect((lookup["data"] as? [Any])?.isEmpty == true)
            // The same identity in tenant A is a different customer.
            let aCustomer = try await client.customer(a, identities: [("email", "secret@example.com")])
            #expect(aCustomer != bCustomer)
            let (_, still) = try await client.send(.get, "/v1/customers/\(bCustomer)", b)
            #expect(still["id"] as? String == bCustomer)
            #expect((still["attributes"] as? [String: Any])?["stolen"] == nil)
        }
    }
}
