import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiRuntime

/// Nothing a client sends may produce a 500 or a crash: every mistake gets a problem response.
@Suite("Bad input gets problem responses")
struct BadInputTests {
    @Test func unknownRouteIs404() async throws {
        try await withAPI { client in
            try await client.execute(uri: "/v1/no-such-thing", method: .get) { try $0.expectProblem(.notFound) }
            try await client.execute(uri: "/", method: .get) { try $0.expectProblem(.notFound) }
        }
    }

    @Test func wrongMethodIs405WithAllow() async throws {
        try await withAPI { client in
            try await client.execute(uri: "/v1/api-keys", method: .put) { response throws in
                try response.expectProblem(.methodNotAllowed)
                #expect(response.headers[.allow] == "GET, POST")
            }
            try await client.execute(uri: "/health/live", method: .post) { try $0.expectProblem(.methodNotAllowed) }
            // A literal segment wins over a parameter, as in the router: /v1/offers/arbitrate
            // is not /v1/offers/{id}.
            try await client.execute(uri: "/v1/offers/arbitrate", method: .options) { response throws in
                try response.expectProblem(.methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
            }
        }
    }

    @Test func missingOrGarbageAuthorizationIs401() async throws {
        try await withAPI { client in
            let garbage: [HTTPFields] = [
                [:],
                [.authorization: ""],
                [.authorization: "Bearer"],
                [.authorization: "Bearer "],
                [.authorization: "Basic dXNlcjpwYXNz"],
                [.authorization: "Bearer not-a-key"],
                [.authorization: "Bearer tutti_0123456789abcdef_" + String(repeating: "A", count: 43)],
                [.authorization: "Bearer tutti_\u{00e9}\u{00e9}_x"],
                [.authorization: String(repeating: "x", count: 4000)],
            ]
            for headers in garbage {
                try await client.execute(uri: "/v1/api-keys", method: .get, headers: headers) { response throws in
                    try response.expectProblem(.unauthorized)
                    #expect(response.headers[.wwwAuthenticate] != nil)
                }
            }
        }
    }

    @Test func malformedJSONIs400() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            for body in ["{", "not json", "[1,2", "{\"name\" \"x\"}", ""] {
                try await client.execute(uri: "/v1/api-keys", method: .post, headers: tenant.admin.with(.contentType, "application/json"),
                                         body: ByteBuffer(string: body)) { response throws in
                    let json = try response.expectProblem(.badRequest)
                    #expect(json["type"] as? String == "urn:tutti:problem:malformed-json")
                }
            }
            // Invalid UTF-8 is not JSON either.
            try await client.execute(uri: "/v1/api-keys", method: .post, headers: tenant.admin.with(.contentType, "application/json"),
                                     body: ByteBuffer(bytes: [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D])) { try $0.expectProblem(.badRequest) }
        }
    }

    @Test func wrongShapeIs422NamingTheField() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let cases: [(String, String)] = [
                (#"{"role": "viewer"}"#, "name"),
                (#"{"name": 42, "role": "viewer"}"#, "name"),
                (#"{"name": "x", "role": "superuser"}"#, "role"),
                (#"{"name": "   ", "role": "viewer"}"#, "name"),
                (#"{"name": null, "role": "viewer"}"#, "name"),
                (#"[]"#, ""),
            ]
            for (body, field) in cases {
                try await client.execute(uri: "/v1/api-keys", method: .post, headers: tenant.admin.with(.contentType, "application/json"),
                                         body: ByteBuffer(string: body)) { response throws in
                    let json = try response.expectProblem(.unprocessableContent)
                    let errors = try #require(json["errors"] as? [[String: Any]], "for \(body)")
                    #expect(errors.contains { ($0["field"] as? String) == field }, "for \(body): \(errors)")
                }
            }
        }
    }

    @Test func wrongContentTypeIs415() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            for contentType in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
                try await client.execute(uri: "/v1/api-keys", method: .post, headers: tenant.admin.with(.contentType, contentType),
                                         body: ByteBuffer(string: #"{"name": "x", "role": "viewer"}"#)) { try $0.expectProblem(.unsupportedMediaType) }
            }
            try await client.execute(uri: "/v1/api-keys", method: .post, headers: tenant.admin,
                                     body: ByteBuffer(string: #"{"name": "x", "role": "viewer"}"#)) { try $0.expectProblem(.unsupportedMediaType) }
        }
    }

    @Test func bodyOverTheLimitIs413() async throws {
        try await withAPI(maxBodyBytes: 4096) { client in
            let tenant = try await client.createTenant()
            let big = #"{"name": ""# + String(repeating: "x", count: 10_000) + #"", "role": "viewer"}"#
            try await client.execute(uri: "/v1/api-keys", method: .post, headers: tenant.admin.with(.contentType, "application/json"),
                                     body: ByteBuffer(string: big)) { try $0.expectProblem(.contentTooLarge) }
            try await client.execute(uri: "/v1/tenants", method: .post,
                                     headers: [.authorization: "Bearer \(operatorToken)", .contentType: "application/json"],
                                     body: ByteBuffer(string: big)) { try $0.expectProblem(.contentTooLarge) }
        }
    }

    @Test func invalidIdsAre400() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            for id in ["not-a-uuid", "123", "00000000-0000-0000-0000-00000000000g", "%27%3B%20DROP%20TABLE%20api_keys"] {
                try await client.execute(uri: "/v1/api-keys/\(id)", method: .get, headers: tenant.admin) { response throws in
                    let json = try response.expectProblem(.badRequest)
                    #expect(json["type"] as? String == "urn:tutti:problem:invalid-id")
                }
                try await client.execute(uri: "/v1/api-keys/\(id)", method: .delete, headers: tenant.admin) { try $0.expectProblem(.badRequest) }
            }
        }
    }

    @Test func everyResponseCarriesARequestIdAndAnIncomingOneIsEchoed() async throws {
        try await withAPI { client in
            try await client.execute(uri: "/health/live", method: .get, headers: [.requestID: "trace-123"]) { response throws in
                #expect(response.headers[.requestID] == "trace-123")
            }
            try await client.execute(uri: "/health/live", method: .get, headers: [.requestID: "bad id\nInjected: yes"]) { response throws in
                #expect(response.headers[.requestID] != nil)
                #expect(response.headers[.requestID] != "bad id\nInjected: yes")
            }
        }
    }
}
