import Curl
import Foundation
import TuttiDomain

/// Sends an SMS with Twilio's Messages API
/// (`POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded, Basic auth with
/// the account SID and auth token).
///
/// The delivery id goes in `I-Twilio-Idempotency-Token`, so Twilio drops a retry of a
/// message it already accepted. The provider message id is the message's `sid` (`SM…`),
/// which status callbacks name as `MessageSid`.
public struct TwilioConnector: HTTPConnector {
    public let configuration: TwilioChannelConfiguration

    public init(configuration: TwilioChannelConfiguration) {
        self.configuration = configuration
    }

    public func request(for delivery: Delivery) throws(ConnectorError) -> Curl.HTTPRequest {
        guard let phone = delivery.recipient, phone.hasPrefix("+") else { throw .missingRecipient("an E.164 phone number") }
        guard let text = delivery.content.text, !text.isEmpty else { throw .missingContent("text") }
        var fields = [("To", phone)]
        if let service = configuration.messagingServiceSID {
            fields.append(("MessagingServiceSid", service))
        } else if let from = configuration.from {
            fields.append(("From", from))
        }
        fields.append(("Body", text))
        if let callback = configuration.statusCallback { fields.append(("StatusCallback", callback)) }
        return Curl.HTTPRequest(
            method: .post,
            url: "\(configuration.baseURL)/2010-04-01/Accounts/\(configuration.accountSID)/Messages.json",
            headers: [
                "Content-Type": "application/x-www-form-urlencoded",
                "I-Twilio-Idempotency-Token": delivery.id.uuidString.lowercased(),
            ],
            body: FormEncoding.encode(fields),
            authentication: .basic(username: configuration.accountSID, password: configuration.authToken)
        )
    }

    public func outcome(of response: HTTPResponse) -> DeliveryOutcome {
        if (200..<300).contains(response.status) {
            return .accepted(providerMessageID: JSONBody.decode(response.body)?[member: "sid"])
        }
        return .refusal(response, gateway: "Twilio")
    }
}
