import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiRuntime

/// Tenant A's admin tries every route on tenant B's keys. Each must answer 404, exactly as
/// for an id that never existed, so ids of other tenants do not even leak their existence.
@Suite("Crossing from one tenant to another")
struct CrossTenantTests {
    @Test func tenantACannotReadListChangeOrDeleteTenantBsKeys() async throws {
        try await withAPI { client in
            let a = try await client.createTenant("A")
            let b = try await client.createTenant("B")
            let bKey = try await client.createKey(b, role: "editor")
            let neverExisted = UUID().uuidString.lowercased()

            for id in [b.adminKeyID, bKey.id, neverExisted] {
                try await client.execute(uri: "/v1/api-keys/\(id)", method: .get, headers: a.admin) { try $0.expectProblem(.notFound) }
                try await client.execute(uri: "/v1/api-keys/\(id)", method: .patch, headers: a.admin.with(.contentType, "application/json"),
                                         body: ByteBuffer(string: #"{"name": "mine now"}"#)) { try $0.expectProblem(.notFound) }
                try await client.execute(uri: "/v1/api-keys/\(id)", method: .delete, headers: a.admin) { try $0.expectProblem(.notFound) }
            }
            let listed = try await client.execute(uri: "/v1/api-keys?limit=200", method: .get, headers: a.admin) { response throws in
                try (response.json()["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            }
            #expect(listed == [a.adminKeyID])

            // B's keys are untouched and still work.
            try await client.execute(uri: "/v1/api-keys/\(bKey.id)", method: .get, headers: b.admin) { response throws in
                #expect(response.status == .ok)
                let json = try response.json()
                #expect(json["name"] as? String == "key")
                #expect(json["revoked_at"] is NSNull)
            }
            try await client.execute(uri: "/v1/tenant", method: .get, headers: [.authorization: "Bearer \(bKey.token)"]) { response throws in
                #expect(try response.json()["id"] as? String == b.id)
            }
        }
    }

    @Test func tenantBCannotReadChangeDeleteOrPreviewTenantAsTemplates() async throws {
        try await withAPI { client in
            let a = try await client.createTenant("A")
            let b = try await client.createTenant("B")
            let customer = try await client.customer(a, identities: [("email", "a@example.com")])
            let id = try #require(try await client.template(a, TemplateRouteTests.v1)["id"] as? String)
            let bCustomer = try await client.customer(b, identities: [("email", "b@example.com")])

            for (method, path, body) in [
                (HTTPRequest.Method.get, "/v1/templates/\(id)", nil), (.put, "/v1/templates/\(id)", TemplateRouteTests.v2),
                (.delete, "/v1/templates/\(id)", nil), (.get, "/v1/templates/\(id)/versions", nil),
                (.get, "/v1/templates/\(id)/versions/1", nil),
                (.post, "/v1/templates/\(id)/preview", #"{"customer_id": "\#(bCustomer)", "channel": "sms"}"#),
            ] {
                let (status, _) = try await client.send(method, path, b, json: body)
                #expect(status == .notFound, "\(method) \(path) answered \(status)")
            }
            let (_, listed) = try await client.send(.get, "/v1/templates", b)
            #expect((listed["data"] as? [Any])?.isEmpty == true)
            // A's customer is no customer of B's, even for B's own template.
            let mine = try #require(try await client.template(b, TemplateRouteTests.v1)["id"] as? String)
            let (status, problem) = try await client.preview(b, mine, #"{"customer_id": "\#(customer)", "channel": "sms"}"#)
            #expect(status == .unprocessableContent && problem["type"] as? String == "urn:tutti:problem:unknown-customer")

            // A's template is untouched.
            let (_, got) = try await client.send(.get, "/v1/templates/\(id)", a)
            #expect(got["version"] as? Int == 1 && got["name"] as? String == "Spring")
        }
    }
}
