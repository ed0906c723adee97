import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiRuntime
import TuttiAPI

@Suite("Idempotency-Key on POST")
struct IdempotencyTests {
    @Test func sameKeyAndBodyReturnsTheStoredResponseWithoutDoingItTwice() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            var headers = tenant.admin.with(.contentType, "application/json")
            headers[.idempotencyKey] = "create-key-1"
            let body = #"{"name": "once", "role": "viewer"}"#
            let first = try await client.execute(uri: "/v1/api-keys", method: .post, headers: headers, body: ByteBuffer(string: body))
            let second = try await client.execute(uri: "/v1/api-keys", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(first.status == .created)
            #expect(second.status == .created)
            #expect(second.headers[.idempotentReplayed] == "true")
            #expect(try first.json()["id"] as? String == second.json()["id"] as? String)
            #expect(try first.json()["key"] as? String == second.json()["key"] as? String)
            let listed = try await client.execute(uri: "/v1/api-keys", method: .get, headers: tenant.admin) { response throws in
                try (response.json()["data"] as? [[String: Any]] ?? []).filter { $0["name"] as? String == "once" }.count
            }
            #expect(listed == 1)
        }
    }

    @Test func sameKeyWithAnotherBodyIsRefusedWith422() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            var headers = tenant.admin.with(.contentType, "application/json")
            headers[.idempotencyKey] = "create-key-2"
            try await client.execute(uri: "/v1/api-keys", method: .post, headers: headers,
                                     body: ByteBuffer(string: #"{"name": "a", "role": "viewer"}"#)) { #expect($0.status == .created) }
            try await client.execute(uri: "/v1/api-keys", method: .post, headers: headers,
                                     body: ByteBuffer(string: #"{"name": "b", "role": "viewer"}"#)) { response throws in
                let json = try response.expectProblem(.unprocessableContent)
                #expect(json["type"] as? String == "urn:tutti:problem:idempotency-key-reused")
            }
        }
    }

    @Test func keysOfOneTenantDoNotCollideWithAnothers() async throws {
        try await withAPI { client in
            let a = try await client.createTenant("A")
            let b = try await client.createTenant("B")
            for tenant in [a, b] {
                var headers = tenant.admin.with(.contentType, "application/json")
                headers[.idempotencyKey] = "shared-key"
                try await client.execute(uri: "/v1/api-keys", method: .post, headers: headers,
                                         body: ByteBuffer(string: #"{"name": "n", "role": "viewer"}"#)) { response throws in
                    #expect(response.status == .created)
                    #expect(response.headers[.idempotentReplayed] == nil)
                }
            }
        }
    }

    @Test func failedRequestReleasesItsKey() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            var headers = tenant.admin.with(.contentType, "application/json")
            headers[.idempotencyKey] = "retry-after-fix"
            try await client.execute(uri: "/v1/api-keys", method: .post, headers: headers,
                                     body: ByteBuffer(string: #"{"name": "x", "role": "nope"}"#)) { try $0.expectProblem(.unprocessableContent) }
            try await client.execute(uri: "/v1/api-keys", method: .post, headers: headers,
                                     body: ByteBuffer(string: #"{"name": "x", "role": "viewer"}"#)) { #expect($0.status == .created) }
        }
    }
}
