import Curl
import Foundation
import TuttiDomain

/// Sends mail with Amazon SES v2 `SendEmail` (`POST /v2/email/outbound-emails`), signed by
/// libcurl's AWS SigV4.
///
/// Simple content (subject, text, html) with the unsubscribe headers in `Headers`, and the
/// delivery id as the `tutti_delivery_id` email tag, so SES event notifications name it.
/// SES has no idempotency key; SES's `MessageId` is the provider message id.
public struct SESConnector: HTTPConnector {
    public let configuration: SESChannelConfiguration

    public init(configuration: SESChannelConfiguration) {
        self.configuration = configuration
    }

    public func request(for delivery: Delivery) throws(ConnectorError) -> Curl.HTTPRequest {
        let domain = configuration.fromAddress.split(separator: "@").last.map(String.init) ?? "localhost"
        let mail = try MailComposition(
            delivery: delivery, fromAddress: configuration.fromAddress, fromName: configuration.fromName,
            unsubscribeMailto: configuration.unsubscribeMailto, messageIDDomain: domain)
        var body: [String: JSONValue] = [:]
        func text(_ value: String) -> JSONValue { .object(["Data": .string(value), "Charset": .string("UTF-8")]) }
        var parts: [String: JSONValue] = [:]
        parts["Text"] = mail.text.map(text)
        parts["Html"] = mail.html.map(text)
        var simple: [String: JSONValue] = ["Subject": text(mail.subject), "Body": .object(parts)]
        if !mail.unsubscribeHeaders.isEmpty {
            simple["Headers"] = .array(mail.unsubscribeHeaders.map { .object(["Name": .string($0.name), "Value": .string($0.value)]) })
        }
        body["FromEmailAddress"] = .string(EncodedWord.mailbox(mail.fromAddress, name: mail.fromName).trimmingAngleBracketsIfBare)
        body["Destination"] = .object(["ToAddresses": .array([.string(mail.to)])])
        body["Content"] = .object(["Simple": .object(simple)])
        body["EmailTags"] = .array([.object(["Name": .string("tutti_delivery_id"), "Value": .string(delivery.id.uuidString.lowercased())])])
        body["ConfigurationSetName"] = configuration.configurationSet.map(JSONValue.string)
        return Curl.HTTPRequest(
            method: .post,
            url: configuration.aws.endpoint + "/v2/email/outbound-emails",
            headers: ["Content-Type": "application/json"],
            body: JSONBody.encode(.object(body)),
            authentication: .awsSigV4(
                region: configuration.aws.region, service: "ses",
                accessKeyID: configuration.aws.accessKeyID, secretAccessKey: configuration.aws.secretAccessKey)
        )
    }

    public func outcome(of response: HTTPResponse) -> DeliveryOutcome {
        if (200..<300).contains(response.status) {
            return .accepted(providerMessageID: JSONBody.decode(response.body)?[member: "MessageId"])
        }
        return .refusal(response, gateway: "Amazon SES")
    }
}

extension String {
    /// `<a@b>` as `a@b`; a mailbox with a display name unchanged.
    var trimmingAngleBracketsIfBare: String {
        hasPrefix("<") && hasSuffix(">") ? String(dropFirst().dropLast()) : self
    }
}
