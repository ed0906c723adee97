import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import TuttiAPI
import TuttiRuntime
import TuttiTestSupport

/// Runs `body` against the real API application (real router, middleware and database); with
/// the API key cache when `apiKeyCacheTTL` is above zero.
func withAPI(
    maxBodyBytes: Int = 64 * 1024, apiKeyCacheTTL: Duration = .zero,
    _ body: @Sendable @escaping (any TestClientProtocol) async throws -> Void
) async throws {
    let configuration = try await TuttiConfiguration.forTesting(maxBodyBytes: maxBodyBytes, apiKeyCacheTTL: apiKeyCacheTTL)
    let app = try await buildApplication(configuration: configuration, logger: TestDatabase.logger)
    try await app.test(.router) { client in try await body(client) }
}

let operatorToken = "test-operator-token"

/// A tenant created through `POST /v1/tenants`, with its admin key.
struct CreatedTenant: Sendable {
    var id: String
    var adminKey: String
    var adminKeyID: String

    var admin: HTTPFields { [.authorization: "Bearer \(adminKey)"] }
}

extension TestClientProtocol {
    func createTenant(_ name: String = "Tenant") async throws -> CreatedTenant {
        let response = try await execute(
            uri: "/v1/tenants", method: .post,
            headers: [.authorization: "Bearer \(operatorToken)", .contentType: "application/json"],
            body: ByteBuffer(string: #"{"name": "\#(name)"}"#))
        try #require(response.status == .created, "creating a tenant answered \(response.status)")
        let json = try response.json()
        let tenant = try #require(json["tenant"] as? [String: Any])
        let key = try #require(json["api_key"] as? [String: Any])
        return CreatedTenant(
            id: try #require(tenant["id"] as? String),
            adminKey: try #require(key["key"] as? String),
            adminKeyID: try #require(key["id"] as? String))
    }

    /// Issues a key of `role` for `tenant` and returns (id, token).
    func createKey(_ tenant: CreatedTenant, role: String, name: String = "key") async throws -> (id: String, token: String) {
        let response = try await execute(
            uri: "/v1/api-keys", method: .post, headers: tenant.admin.with(.contentType, "application/json"),
            body: ByteBuffer(string: #"{"name": "\#(name)", "role": "\#(role)"}"#))
        try #require(response.status == .created, "creating a key answered \(response.status)")
        let json = try response.json()
        return (try #require(json["id"] as? String), try #require(json["key"] as? String))
    }
}

extension HTTPFields {
    func with(_ name: HTTPField.Name, _ value: String) -> HTTPFields {
        var copy = self
        copy[name] = value
        return copy
    }
}

extension TestResponse {
    func json() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView))
        return try #require(object as? [String: Any], "body is not a JSON object: \(String(buffer: body))")
    }

    /// Checks the response is an RFC 9457 problem with `status`, and returns its fields.
    @discardableResult
    func expectProblem(_ status: HTTPResponse.Status, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        #expect(self.status == status, "expected \(status), got \(self.status): \(String(buffer: body))", sourceLocation: sourceLocation)
        #expect(headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
        #expect(headers[.requestID] != nil, sourceLocation: sourceLocation)
        let json = try self.json()
        #expect(json["status"] as? Int == Int(status.code), sourceLocation: sourceLocation)
        #expect((json["type"] as? String)?.hasPrefix("urn:tutti:problem:") == true, sourceLocation: sourceLocation)
        #expect(json["title"] is String, sourceLocation: sourceLocation)
        #expect(json["request_id"] as? String == headers[.requestID], sourceLocation: sourceLocation)
        return json
    }
}
