import Foundation
import TuttiDomain

/// Turns Twilio's status callbacks and inbound SMS webhooks (form fields, already verified)
/// into ``Receipt``s.
public enum TwilioReceipts {
    /// Why a callback's fields cannot be used.
    public struct Invalid: Error, Sendable, Equatable {
        public var field: String
        public var message: String
    }

    /// The receipt of a status callback, or nil for a status that reports nothing to record
    /// (`queued`, `accepted`, `scheduled`, `sending`: Twilio's own steps before the carrier).
    public static func status(
        _ fields: [(name: String, value: String)], channelID: UUID, receivedAt: Date
    ) throws(Invalid) -> Receipt? {
        let sid = try required("MessageSid", in: fields, or: "SmsSid")
        let status = try required("MessageStatus", in: fields, or: "SmsStatus")
        let kind: ReceiptKind
        switch status.lowercased() {
        case "sent": kind = .sent
        case "delivered": kind = .delivered
        case "undelivered": kind = .undelivered
        case "failed": kind = .failed
        case "read": kind = .opened
        default: return nil
        }
        var detail: [String: JSONValue] = ["message_sid": .string(sid)]
        for (name, key) in [("ErrorCode", "error_code"), ("ErrorMessage", "error_message"), ("To", "to"), ("From", "from")] {
            if let value = value(name, in: fields), !value.isEmpty { detail[key] = .string(value) }
        }
        return Receipt(
            dedupKey: "twilio:\(sid):\(status.lowercased())", channelID: channelID, gateway: "twilio", kind: kind,
            gatewayStatus: status,
            providerMessageID: sid, address: phone(value("To", in: fields)), occurredAt: receivedAt, detail: detail)
    }

    /// The receipt of an inbound SMS: a keyword's consent change and suppression, or an
    /// `SMS Received` event. `keyword` tells the caller whether to answer with help text.
    public static func inbound(
        _ fields: [(name: String, value: String)], channelID: UUID, receivedAt: Date
    ) throws(Invalid) -> (receipt: Receipt, keyword: SMSKeyword?) {
        let sid = try required("MessageSid", in: fields, or: "SmsSid")
        let from = try required("From", in: fields)
        let body = value("Body", in: fields) ?? ""
        let keyword = SMSKeyword(body: body)
        var detail: [String: JSONValue] = ["message_sid": .string(sid), "from": .string(from), "body": .string(body)]
        if let to = value("To", in: fields) { detail["to"] = .string(to) }
        if let keyword { detail["keyword"] = .string(body.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()) }
        var receipt = Receipt(
            dedupKey: "twilio-inbound:\(sid)", channelID: channelID, gateway: "twilio", kind: keyword?.receiptKind ?? .inbound,
            gatewayStatus: "received", address: phone(from), occurredAt: receivedAt, detail: detail)
        let evidence = "sms keyword \(detail["keyword"]?.stringValue ?? "") (Twilio \(sid))"
        switch keyword {
        case .optOut:
            receipt.suppression = .stop
            receipt.consent = (.sms, .optedOut)
            receipt.consentSource = evidence
        case .optIn:
            receipt.liftsStopSuppression = true
            receipt.consent = (.sms, .optedIn)
            receipt.consentSource = evidence
        case .help, nil:
            break
        }
        return (receipt, keyword)
    }

    static func value(_ name: String, in fields: [(name: String, value: String)]) -> String? {
        fields.first { $0.name == name }?.value
    }

    static func required(_ name: String, in fields: [(name: String, value: String)], or alternative: String? = nil)
        throws(Invalid) -> String
    {
        if let found = value(name, in: fields), !found.isEmpty, found.count <= 200 { return found }
        if let alternative, let found = value(alternative, in: fields), !found.isEmpty, found.count <= 200 { return found }
        throw Invalid(field: name, message: "is required (at most 200 characters)")
    }

    static func phone(_ raw: String?) -> Identity? {
        guard let raw, raw.hasPrefix("+") else { return nil }
        return try? Identity(type: .phone, value: raw)
    }
}
