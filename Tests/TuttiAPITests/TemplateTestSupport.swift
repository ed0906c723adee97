import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiRuntime

extension TestClientProtocol {
    /// Saves a template from its JSON and returns the answer; requires a 201.
    func template(_ tenant: CreatedTenant, _ json: String) async throws -> [String: Any] {
        let (status, answer) = try await send(.post, "/v1/templates", tenant, json: json)
        try #require(status == .created, "template create answered \(status): \(answer)")
        return answer
    }

    /// Previews template `id` with the request body `json`.
    func preview(_ tenant: CreatedTenant, _ id: String, _ json: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await send(.post, "/v1/templates/\(id)/preview", tenant, json: json)
    }

    /// Previews and requires a 200; returns the answer.
    func rendered(_ tenant: CreatedTenant, _ id: String, customer: String, channel: String, extra: String = "")
        async throws -> [String: Any]
    {
        let (status, answer) = try await preview(
            tenant, id, #"{"customer_id": "\#(customer)", "channel": "\#(channel)"\#(extra)}"#)
        try #require(status == .ok, "preview answered \(status): \(answer)")
        return answer
    }
}

/// A template with a part for every channel, every part reading the customer's company.
let everyChannelTemplate = #"""
    {
      "name": "Every channel",
      "parts": {
        "email": {"subject": "For {{customer.attributes.company}}", "html": "<p>{{customer.attributes.company}}</p>"},
        "sms": {"text": "Hi {{customer.attributes.company}}"},
        "push": {"title": "{{customer.attributes.company}}", "body": "Body", "url": "https://shop.example/{{customer.id}}"},
        "social": {"text": "{{customer.attributes.company}} on social"},
        "webhook": {"data": {"company": "{{customer.attributes.company}}", "count": 3, "tags": ["{{customer.identities.email}}"]}}
      }
    }
    """#

extension [String: Any] {
    /// `parts.NAME` of a preview.
    func part(_ name: String) -> String? { (self["parts"] as? [String: Any])?[name] as? String }
}
