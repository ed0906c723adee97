import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiRuntime
import TuttiAPI

@Suite("Tenants and API keys over HTTP")
struct TenantAndKeyRouteTests {
    @Test func operatorCreatesATenantWhoseAdminKeyWorks() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant("Acme")
            try await client.execute(uri: "/v1/api-keys", method: .get, headers: tenant.admin) { response throws in
                #expect(response.status == .ok)
                let json = try response.json()
                let keys = try #require(json["data"] as? [[String: Any]])
                #expect(keys.map { $0["id"] as? String } == [tenant.adminKeyID])
                #expect(keys.allSatisfy { $0["key"] == nil }, "a listed key must never show its secret")
                #expect(json.keys.contains("next_cursor"))
            }
            try await client.execute(uri: "/v1/tenant", method: .get, headers: tenant.admin) { response throws in
                #expect(try response.json()["name"] as? String == "Acme")
            }
        }
    }

    @Test func tenantCreationNeedsTheOperatorToken() async throws {
        try await withAPI { client in
            for headers: HTTPFields in [[:], [.authorization: "Bearer wrong"], [.authorization: "Basic b3A6"]] {
                let response = try await client.execute(
                    uri: "/v1/tenants", method: .post, headers: headers.with(.contentType, "application/json"),
                    body: ByteBuffer(string: #"{"name": "x"}"#))
                try response.expectProblem(.unauthorized)
            }
            // A tenant's own admin key is not the operator token either.
            let tenant = try await client.createTenant()
            let response = try await client.execute(
                uri: "/v1/tenants", method: .post, headers: tenant.admin.with(.contentType, "application/json"),
                body: ByteBuffer(string: #"{"name": "x"}"#))
            try response.expectProblem(.unauthorized)
        }
    }

    @Test func adminIssuesKeysThatAuthenticateWithTheirRole() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let viewer = try await client.createKey(tenant, role: "viewer")
            #expect(viewer.token.hasPrefix("tutti_"))
            try await client.execute(uri: "/v1/tenant", method: .get, headers: [.authorization: "Bearer \(viewer.token)"]) { response throws in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func viewerKeyCannotWrite() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let viewer = try await client.createKey(tenant, role: "viewer")
            let headers: HTTPFields = [.authorization: "Bearer \(viewer.token)", .contentType: "application/json"]
            try await client.execute(uri: "/v1/api-keys", method: .post, headers: headers,
                                     body: ByteBuffer(string: #"{"name": "x", "role": "admin"}"#)) { try $0.expectProblem(.forbidden) }
            try await client.execute(uri: "/v1/tenant", method: .patch, headers: headers,
                                     body: ByteBuffer(string: #"{"name": "renamed"}"#)) { try $0.expectProblem(.forbidden) }
            try await client.execute(uri: "/v1/api-keys/\(tenant.adminKeyID)", method: .delete, headers: headers) { try $0.expectProblem(.forbidden) }
        }
    }

    @Test func ingestKeyCannotReadTheTenant() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let ingest = try await client.createKey(tenant, role: "ingest")
            try await client.execute(uri: "/v1/tenant", method: .get, headers: [.authorization: "Bearer \(ingest.token)"]) {
                try $0.expectProblem(.forbidden)
            }
        }
    }

    @Test func revokedKeyIsRefusedAtOnce() async throws {
        // With the API key cache, whose entry the revoking request must evict itself.
        try await withAPI(apiKeyCacheTTL: .seconds(300)) { client in
            let tenant = try await client.createTenant()
            let editor = try await client.createKey(tenant, role: "editor")
            let editorHeaders: HTTPFields = [.authorization: "Bearer \(editor.token)"]
            try await client.execute(uri: "/v1/tenant", method: .get, headers: editorHeaders) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/api-keys/\(editor.id)", method: .delete, headers: tenant.admin) { #expect($0.status == .noContent) }
            try await client.execute(uri: "/v1/tenant", method: .get, headers: editorHeaders) { try $0.expectProblem(.unauthorized) }
            try await client.execute(uri: "/v1/api-keys/\(editor.id)", method: .get, headers: tenant.admin) { response throws in
                #expect(try response.json()["revoked_at"] is String)
            }
        }
    }

    @Test func keyCanBeRenamed() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let key = try await client.createKey(tenant, role: "viewer", name: "old")
            try await client.execute(uri: "/v1/api-keys/\(key.id)", method: .patch, headers: tenant.admin.with(.contentType, "application/json"),
                                     body: ByteBuffer(string: #"{"name": "new"}"#)) { response throws in
                #expect(response.status == .ok)
                #expect(try response.json()["name"] as? String == "new")
            }
        }
    }

    @Test func keyListIsPaginatedWithOpaqueCursors() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            for index in 0..<4 { _ = try await client.createKey(tenant, role: "viewer", name: "key \(index)") }
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let uri = "/v1/api-keys?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                let json = try await client.execute(uri: uri, method: .get, headers: tenant.admin) { try $0.json() }
                let data = try #require(json["data"] as? [[String: Any]])
                #expect(data.count <= 2)
                seen += data.compactMap { $0["id"] as? String }
                cursor = json["next_cursor"] as? String
                pages += 1
            } while cursor != nil && pages < 10
            #expect(seen.count == 5)
            #expect(Set(seen).count == 5)
            #expect(seen == seen.sorted(), "keys are listed in creation order")
            try await client.execute(uri: "/v1/api-keys?cursor=garbage!", method: .get, headers: tenant.admin) { try $0.expectProblem(.badRequest) }
            try await client.execute(uri: "/v1/api-keys?limit=0", method: .get, headers: tenant.admin) { try $0.expectProblem(.badRequest) }
        }
    }
}
