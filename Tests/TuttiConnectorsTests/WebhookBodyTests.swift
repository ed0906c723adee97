import Foundation
import Testing
@testable import TuttiConnectors
import TuttiDomain

/// The webhook body is written by hand for speed; these pin it to the documented document
/// (``WebhookConnector/payload(_:)``) encoded the way every other request body is.
@Suite("Webhook body")
struct WebhookBodyTests {
    static let contents: [MessageContent] = [
        MessageContent(subject: "Hello", text: "Hello there", html: "<p>Hello there</p>"),
        MessageContent(subject: nil, text: nil, html: nil, data: nil),
        MessageContent(subject: nil, text: "only text", html: nil),
        MessageContent(subject: "only subject", text: nil, html: nil),
        MessageContent(subject: nil, text: nil, html: "<i>only html</i>"),
        MessageContent(subject: nil, text: nil, html: nil, data: .object(["z": .number(1), "a": .array([.string("x"), .null])])),
        MessageContent(
            subject: "Quote \" backslash \\ tab \t newline \n bell \u{07}", text: "Grüezi ✓ 🎉", html: "</script>",
            data: .object(["nested": .object(["b": .bool(true), "a": .number(2.5)]), "list": .array([])])),
        MessageContent(subject: "", text: "", html: "", data: .null),
    ]

    @Test(arguments: contents, [nil, "+41790000000"] as [String?])
    func theHandWrittenBodyIsTheSortedEncodingOfThePayload(content: MessageContent, recipient: String?) {
        let delivery = Delivery(
            id: UUID(), tenantID: UUID(), messageID: UUID(), customerID: UUID(), recipient: recipient, content: content)
        let body = WebhookConnector.body(for: delivery, id: delivery.id.canonicalText)
        let expected = JSONBody.encode(WebhookConnector.payload(delivery))
        #expect(body == expected, "\(String(decoding: body, as: UTF8.self))\n\(String(decoding: expected, as: UTF8.self))")
    }
}
