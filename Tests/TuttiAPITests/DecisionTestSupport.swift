import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

extension TestClientProtocol {
    /// Creates a placement and answers its id.
    func placement(_ tenant: CreatedTenant, _ json: String) async throws -> String {
        let (status, body) = try await send(.post, "/v1/placements", tenant, json: json)
        try #require(status == .created, "placement create answered \(status): \(body)")
        return try #require(body["id"] as? String)
    }

    /// Asks for a decision and answers the body (requiring 200).
    func decide(_ tenant: CreatedTenant, _ json: String) async throws -> [String: Any] {
        let (status, body) = try await send(.post, "/v1/decisions", tenant, json: json)
        try #require(status == .ok, "decision answered \(status): \(body)")
        return body
    }

    /// Waits (up to 10 s, looking every 20 ms) until `condition` holds: impressions are
    /// recorded shortly after the answer, by the API's recorder.
    func eventually(_ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("timed out waiting until \(what)")
    }
}

extension Dictionary where Key == String, Value == Any {
    /// The ids of a decision's offers, in order.
    var offerIDs: [String] { (self["offers"] as? [[String: Any]] ?? []).compactMap { $0["offer_id"] as? String } }
}
