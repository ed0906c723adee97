import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiAPI
import TuttiRuntime
import TuttiTestSupport

extension TestClientProtocol {
    /// POSTs an import and returns the status and the answer.
    func importRows(
        _ tenant: CreatedTenant, _ body: String, contentType: String = "application/x-ndjson", query: String = "", key: String? = nil
    ) async throws -> (HTTPResponse.Status, [String: Any]) {
        var headers: HTTPFields = [.authorization: "Bearer \(key ?? tenant.adminKey)"]
        headers[.contentType] = contentType
        let response = try await execute(uri: "/v1/imports\(query)", method: .post, headers: headers, body: ByteBuffer(string: body))
        return (response.status, (try? response.json()) ?? [:])
    }

    /// How many live customers the tenant has (every page of `GET /v1/customers`).
    func customerCount(_ tenant: CreatedTenant) async throws -> Int {
        var count = 0
        var cursor: String?
        repeat {
            let (status, page) = try await send(.get, "/v1/customers?limit=200\(cursor.map { "&cursor=\($0)" } ?? "")", tenant)
            try #require(status == .ok)
            count += (page["data"] as? [Any])?.count ?? 0
            cursor = page["next_cursor"] as? String
        } while cursor != nil
        return count
    }

    func findCustomer(_ tenant: CreatedTenant, _ identity: String) async throws -> [String: Any]? {
        let (_, found) = try await send(.get, "/v1/customers?identity=\(identity)", tenant)
        return (found["data"] as? [[String: Any]])?.first
    }
}

func ndjson(_ count: Int, from start: Int = 0, plan: String = "gold") -> String {
    (start..<start + count).map { index in
        #"{"identities": [{"type": "email", "value": "c\#(index)@example.com"}, {"type": "external_id", "value": "x-\#(index)"}], "attributes": {"plan": "\#(plan)", "n": \#(index)}}"#
    }.joined(separator: "\n") + "\n"
}
