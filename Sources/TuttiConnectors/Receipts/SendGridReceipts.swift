import Foundation
import TuttiDomain

/// Turns a SendGrid event webhook body (a JSON array of events, already verified) into
/// ``Receipt``s, found back to our message through the `tutti_message_id` custom argument
/// that ``SendGridConnector`` sends (or SendGrid's message id as a fallback).
public enum SendGridReceipts {
    /// Why a body cannot be used: what is wrong, and where (`[3].sg_event_id`).
    public struct Invalid: Error, Sendable, Equatable {
        public var field: String
        public var message: String
    }

    /// The most events one request may carry; SendGrid batches far fewer.
    public static let maximumEvents = 5000

    /// Every event's receipt, skipping the kinds that record nothing (`processed`, …).
    public static func receipts(_ body: [UInt8], channelID: UUID, receivedAt: Date) throws(Invalid) -> [Receipt] {
        guard let text = String(validating: body, as: UTF8.self), case .array(let events)? = JSONValue.parse(text) else {
            throw Invalid(field: "body", message: "must be a JSON array of SendGrid events")
        }
        guard events.count <= maximumEvents else {
            throw Invalid(field: "body", message: "has more than \(maximumEvents) events")
        }
        var receipts: [Receipt] = []
        for (index, element) in events.enumerated() {
            guard let event = element.objectValue else { throw Invalid(field: "[\(index)]", message: "must be an object") }
            if let receipt = try receipt(event, at: index, channelID: channelID, receivedAt: receivedAt) {
                receipts.append(receipt)
            }
        }
        return receipts
    }

    static func receipt(_ event: [String: JSONValue], at index: Int, channelID: UUID, receivedAt: Date) throws(Invalid)
        -> Receipt?
    {
        guard let name = event["event"]?.stringValue, !name.isEmpty, name.count <= 64 else {
            throw Invalid(field: "[\(index)].event", message: "must be the event's name")
        }
        guard let eventID = event["sg_event_id"]?.stringValue, !eventID.isEmpty, eventID.count <= 200 else {
            throw Invalid(field: "[\(index)].sg_event_id", message: "must be SendGrid's event id")
        }
        var occurredAt = receivedAt
        if let value = event["timestamp"] {
            guard case .number(let seconds) = value, seconds.isFinite, seconds > 0, seconds < 1e11 else {
                throw Invalid(field: "[\(index)].timestamp", message: "must be a Unix time in seconds")
            }
            occurredAt = Date(timeIntervalSince1970: seconds.rounded(.down))
        }
        let type = event["type"]?.stringValue
        let kind: ReceiptKind
        switch name {
        case "delivered": kind = .delivered
        case "deferred": kind = .deferred
        case "bounce": kind = type == "blocked" ? .blocked : .bounced
        case "dropped": kind = .dropped
        case "open": kind = .opened
        case "click": kind = .clicked
        case "spamreport": kind = .complained
        case "unsubscribe", "group_unsubscribe": kind = .unsubscribed
        default: return nil
        }
        var detail: [String: JSONValue] = ["sg_event_id": .string(eventID)]
        for key in [
            "sg_message_id", "type", "reason", "status", "response", "url", "useragent", "ip", "attempt", "asm_group_id",
            "bounce_classification", "sg_machine_open",
        ] {
            switch event[key] {
            case .string(let value)?: detail[key] = .string(String(value.prefix(2000)))
            case .number(let value)?: detail[key] = .number(value)
            case .bool(let value)?: detail[key] = .bool(value)
            default: break
            }
        }
        // SendGrid's message id is X-Message-Id (what the connector stored) plus ".filter…".
        let providerID = event["sg_message_id"]?.stringValue?.split(separator: ".").first.map(String.init)
        var receipt = Receipt(
            dedupKey: "sendgrid:\(eventID)", channelID: channelID, gateway: "sendgrid", kind: kind, gatewayStatus: name,
            messageID: event["tutti_message_id"]?.stringValue.flatMap(UUID.init(uuidString:)), providerMessageID: providerID,
            address: event["email"]?.stringValue.flatMap { try? Identity(type: .email, value: $0) }, occurredAt: occurredAt,
            detail: detail)
        switch kind {
        case .bounced:
            receipt.suppression = .hardBounce
        case .complained:
            receipt.suppression = .complaint
            receipt.consent = (.email, .optedOut)
            receipt.consentSource = "sendgrid spamreport (\(eventID))"
        case .unsubscribed:
            receipt.consent = (.email, .optedOut)
            receipt.consentSource = "sendgrid \(name) (\(eventID))"
        default:
            break
        }
        return receipt
    }
}
