import Foundation
import TuttiDomain

/// One Amazon SNS HTTP(S) delivery: a `Notification`, `SubscriptionConfirmation` or
/// `UnsubscribeConfirmation` as SNS posts it, before its signature is checked.
public struct SNSMessage: Sendable, Hashable {
    /// Why a body is not an SNS message: what is wrong, and where.
    public struct Invalid: Error, Sendable, Equatable {
        public var field: String
        public var message: String
    }

    /// `Notification`, `SubscriptionConfirmation` or `UnsubscribeConfirmation`.
    public var type: String
    public var messageID: String
    public var topicARN: String
    public var subject: String?
    /// The payload: for SES events, a JSON document of its own.
    public var message: String
    public var timestamp: String
    /// `1` (SHA1withRSA) or `2` (SHA256withRSA).
    public var signatureVersion: String
    /// Base64 of the RSA signature.
    public var signature: String
    public var signingCertURL: String
    /// Confirmations only: the URL that confirms the subscription, and its token.
    public var subscribeURL: String?
    public var token: String?

    static let types = ["Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation"]

    /// Parses the body SNS posts (JSON, whatever its Content-Type says: SNS sends text/plain).
    public static func parse(_ body: [UInt8]) throws(Invalid) -> SNSMessage {
        guard let text = String(validating: body, as: UTF8.self), case .object(let fields)? = JSONValue.parse(text) else {
            throw Invalid(field: "body", message: "must be a JSON object as Amazon SNS posts it")
        }
        func string(_ name: String, required: Bool = true) throws(Invalid) -> String? {
            switch fields[name] {
            case .string(let value)?: return value
            case nil, .null?: if !required { return nil }
            default: break
            }
            throw Invalid(field: name, message: "must be a string")
        }
        guard let type = try string("Type"), types.contains(type) else {
            throw Invalid(field: "Type", message: "must be one of \(types.joined(separator: ", "))")
        }
        let confirmation = type != "Notification"
        let message = SNSMessage(
            type: type, messageID: try string("MessageId")!, topicARN: try string("TopicArn")!,
            subject: confirmation ? nil : try string("Subject", required: false), message: try string("Message")!,
            timestamp: try string("Timestamp")!, signatureVersion: try string("SignatureVersion")!,
            signature: try string("Signature")!, signingCertURL: try string("SigningCertURL")!,
            subscribeURL: confirmation ? try string("SubscribeURL") : nil, token: confirmation ? try string("Token") : nil)
        guard ["1", "2"].contains(message.signatureVersion) else {
            throw Invalid(field: "SignatureVersion", message: "must be 1 or 2")
        }
        return message
    }

    /// The string SNS signs: each field as `Name\nvalue\n`, in this order, for the message's
    /// type (Subject only when the notification has one).
    public var stringToSign: String {
        var pairs: [(String, String)]
        if type == "Notification" {
            pairs = [("Message", message), ("MessageId", messageID)]
            if let subject { pairs.append(("Subject", subject)) }
            pairs += [("Timestamp", timestamp), ("TopicArn", topicARN), ("Type", type)]
        } else {
            pairs = [
                ("Message", message), ("MessageId", messageID), ("SubscribeURL", subscribeURL ?? ""), ("Timestamp", timestamp),
                ("Token", token ?? ""), ("TopicArn", topicARN), ("Type", type),
            ]
        }
        return pairs.map { "\($0.0)\n\($0.1)\n" }.joined()
    }
}
