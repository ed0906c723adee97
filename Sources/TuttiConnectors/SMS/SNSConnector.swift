import Curl
import Foundation
import TuttiDomain

/// Sends an SMS with Amazon SNS `Publish` to a phone number (the Query API: a form-encoded
/// POST), signed by libcurl's AWS SigV4.
///
/// SNS takes no idempotency key for SMS. It reports throttling as a 400 with an error code
/// rather than a 429, so those codes are retried like a 429.
public struct SNSConnector: HTTPConnector {
    public let configuration: SNSChannelConfiguration

    /// Query API error codes that mean "slow down", not "this request is wrong".
    static let throttlingCodes: Set<String> = ["Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled", "KMSThrottling"]

    public init(configuration: SNSChannelConfiguration) {
        self.configuration = configuration
    }

    public func request(for delivery: Delivery) throws(ConnectorError) -> Curl.HTTPRequest {
        guard let phone = delivery.recipient, phone.hasPrefix("+") else { throw .missingRecipient("an E.164 phone number") }
        guard let text = delivery.content.text, !text.isEmpty else { throw .missingContent("text") }
        var fields = [
            ("Action", "Publish"), ("Version", "2010-03-31"), ("PhoneNumber", phone), ("Message", text),
            ("MessageAttributes.entry.1.Name", "AWS.SNS.SMS.SMSType"),
            ("MessageAttributes.entry.1.Value.DataType", "String"),
            ("MessageAttributes.entry.1.Value.StringValue", configuration.smsType),
        ]
        if let senderID = configuration.senderID {
            fields += [
                ("MessageAttributes.entry.2.Name", "AWS.SNS.SMS.SenderID"),
                ("MessageAttributes.entry.2.Value.DataType", "String"),
                ("MessageAttributes.entry.2.Value.StringValue", senderID),
            ]
        }
        return Curl.HTTPRequest(
            method: .post,
            url: configuration.aws.endpoint + "/",
            headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"],
            body: FormEncoding.encode(fields),
            authentication: .awsSigV4(
                region: configuration.aws.region, service: "sns",
                accessKeyID: configuration.aws.accessKeyID, secretAccessKey: configuration.aws.secretAccessKey)
        )
    }

    public func outcome(of response: HTTPResponse) -> DeliveryOutcome {
        let body = String(decoding: response.body, as: UTF8.self)
        if (200..<300).contains(response.status) {
            return .accepted(providerMessageID: Self.element("MessageId", in: body))
        }
        if response.status == 400, let code = Self.element("Code", in: body), Self.throttlingCodes.contains(code) {
            return .retryLater(after: response.retryAfter(), reason: "Amazon SNS is throttling (\(code))")
        }
        return .refusal(response, gateway: "Amazon SNS")
    }

    /// The text of the first `<name>…</name>` in an XML answer. The Query API's answers are
    /// small and flat, so this is enough and keeps an XML parser out of the worker.
    static func element(_ name: String, in xml: String) -> String? {
        guard let start = xml.range(of: "<\(name)>"), let end = xml.range(of: "</\(name)>", range: start.upperBound..<xml.endIndex) else {
            return nil
        }
        return String(xml[start.upperBound..<end.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
