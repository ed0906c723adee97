import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiRuntime

extension TestClientProtocol {
    /// POSTs JSON and returns the status and the decoded object.
    func send(_ method: HTTPRequest.Method, _ uri: String, _ tenant: CreatedTenant, json: String? = nil) async throws -> (HTTPResponse.Status, [String: Any]) {
        var headers = tenant.admin
        if json != nil { headers[.contentType] = "application/json" }
        let response = try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        let object = response.body.readableBytes == 0 ? [:] : (try? response.json()) ?? [:]
        return (response.status, object)
    }

    /// Creates (or merges into) a customer and returns its id.
    func customer(_ tenant: CreatedTenant, identities: [(String, String)], attributes: String = "{}") async throws -> String {
        let list = identities.map { #"{"type": "\#($0.0)", "value": "\#($0.1)"}"# }.joined(separator: ",")
        let (status, json) = try await send(.post, "/v1/customers", tenant, json: #"{"identities": [\#(list)], "attributes": \#(attributes)}"#)
        try #require(status == .created || status == .ok, "customer write answered \(status): \(json)")
        return try #require(json["id"] as? String)
    }

    /// The timeline entries of a customer, newest first.
    func timeline(_ tenant: CreatedTenant, _ id: String, query: String = "") async throws -> [[String: Any]] {
        let (status, json) = try await send(.get, "/v1/customers/\(id)/timeline?limit=200\(query)", tenant)
        try #require(status == .ok, "timeline answered \(status): \(json)")
        return json["data"] as? [[String: Any]] ?? []
    }

    func ingest(_ tenant: CreatedTenant, _ path: String, _ json: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await send(.post, path, tenant, json: json)
    }
}

extension Array where Element == [String: Any] {
    /// Titles of entries of `kind`.
    func titles(_ kind: String) -> [String] { filter { $0["kind"] as? String == kind }.compactMap { $0["title"] as? String } }
}
