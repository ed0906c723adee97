import Foundation
import TuttiDomain

/// Turns the SES event in a verified SNS notification's `Message` into ``Receipt``s, one per
/// recipient it names, found back to our message by SES's `mail.messageId` (the
/// `provider_message_id` that ``SESConnector`` stored from `SendEmail`'s answer).
///
/// Both SES formats are read: identity notifications (`notificationType`) and configuration
/// set event publishing (`eventType`).
public enum SESReceipts {
    /// Why a message is not a usable SES event: what is wrong, and where (`bounce.bounceType`).
    public struct Invalid: Error, Sendable, Equatable {
        public var field: String
        public var message: String
    }

    /// The most recipients one event may name; SES sends to at most 50 per message.
    static let maximumRecipients = 100

    /// The receipts of `notification`'s SES event; empty for a message that is not an SES event
    /// (an SNS test message) or an event type that records nothing (`Send`, `Rendering Failure`, …).
    public static func receipts(_ notification: SNSMessage, channelID: UUID, receivedAt: Date) throws(Invalid) -> [Receipt] {
        guard case .object(let event)? = JSONValue.parse(notification.message),
            let type = event["notificationType"]?.stringValue ?? event["eventType"]?.stringValue
        else { return [] }
        let section: String, kind: ReceiptKind
        switch type {
        case "Delivery": (section, kind) = ("delivery", .delivered)
        case "Bounce": (section, kind) = ("bounce", .bounced)
        case "Complaint": (section, kind) = ("complaint", .complained)
        case "DeliveryDelay": (section, kind) = ("deliveryDelay", .deferred)
        case "Reject": (section, kind) = ("reject", .dropped)
        case "Open": (section, kind) = ("open", .opened)
        case "Click": (section, kind) = ("click", .clicked)
        default: return []
        }
        guard let mail = event["mail"]?.objectValue, let sesID = mail["messageId"]?.stringValue, !sesID.isEmpty,
            sesID.count <= 200
        else {
            throw Invalid(field: "Message.mail.messageId", message: "must be SES's message id")
        }
        let details = event[section]?.objectValue ?? [:]
        var detail: [String: JSONValue] = ["ses_message_id": .string(sesID), "sns_message_id": .string(notification.messageID)]
        for (key, name) in [
            ("bounceType", "bounce_type"), ("bounceSubType", "bounce_sub_type"), ("feedbackId", "feedback_id"),
            ("complaintFeedbackType", "complaint_feedback_type"), ("smtpResponse", "smtp_response"),
            ("reportingMTA", "reporting_mta"), ("delayType", "delay_type"), ("reason", "reason"), ("link", "url"),
            ("userAgent", "useragent"), ("ipAddress", "ip"),
        ] {
            if let value = details[key]?.stringValue { detail[name] = .string(String(value.prefix(2000))) }
        }
        var effectiveKind = kind
        if type == "Bounce" {
            guard let bounceType = details["bounceType"]?.stringValue else {
                throw Invalid(field: "Message.bounce.bounceType", message: "must be Permanent, Transient or Undetermined")
            }
            // Only a permanent bounce says the address is gone; a transient one is recorded.
            if bounceType != "Permanent" { effectiveKind = .blocked }
        }
        let occurredAt = details["timestamp"]?.stringValue.flatMap(parseTime) ?? receivedAt
        let recipients = try recipients(type: type, details: details, mail: mail)
        return recipients.map { recipient in
            var perRecipient = detail
            perRecipient.merge(recipient.detail) { _, new in new }
            var receipt = Receipt(
                dedupKey: "ses:\(notification.messageID):\(recipient.address.lowercased())", channelID: channelID,
                gateway: "ses", kind: effectiveKind, gatewayStatus: type, providerMessageID: sesID,
                address: try? Identity(type: .email, value: recipient.address), occurredAt: occurredAt, detail: perRecipient)
            switch effectiveKind {
            case .bounced:
                receipt.suppression = .hardBounce
            case .complained:
                receipt.suppression = .complaint
                receipt.consent = (.email, .optedOut)
                let feedback = details["feedbackId"]?.stringValue.map { String($0.prefix(200)) } ?? notification.messageID
                receipt.consentSource = "ses complaint (\(feedback))"
            default:
                break
            }
            return receipt
        }
    }

    /// The addresses an event is about, with what SES said of each.
    static func recipients(type: String, details: [String: JSONValue], mail: [String: JSONValue]) throws(Invalid) -> [(
        address: String, detail: [String: JSONValue]
    )] {
        var found: [(address: String, detail: [String: JSONValue])] = []
        switch type {
        case "Bounce", "Complaint", "DeliveryDelay":
            let key = ["Bounce": "bouncedRecipients", "Complaint": "complainedRecipients", "DeliveryDelay": "delayedRecipients"][
                type]!
            for element in elements(details[key]) {
                guard let recipient = element.objectValue, let address = recipient["emailAddress"]?.stringValue else {
                    throw Invalid(field: "Message.\(key)", message: "must be objects with emailAddress")
                }
                var detail: [String: JSONValue] = [:]
                for (from, to) in [("action", "action"), ("status", "status"), ("diagnosticCode", "diagnostic_code")] {
                    if let value = recipient[from]?.stringValue { detail[to] = .string(String(value.prefix(2000))) }
                }
                found.append((address, detail))
            }
        case "Delivery":
            for element in elements(details["recipients"]) {
                guard let address = element.stringValue else {
                    throw Invalid(field: "Message.delivery.recipients", message: "must be addresses")
                }
                found.append((address, [:]))
            }
        default:
            break
        }
        if found.isEmpty {
            // Open, Click and Reject name no recipient: the message's destination is the one.
            found = elements(mail["destination"]).compactMap { $0.stringValue.map { ($0, [:]) } }
        }
        guard !found.isEmpty else { throw Invalid(field: "Message.mail.destination", message: "must name the recipient") }
        guard found.count <= maximumRecipients else {
            throw Invalid(field: "Message", message: "names more than \(maximumRecipients) recipients")
        }
        return found.filter { !$0.address.isEmpty && $0.address.count <= 320 }
    }

    static func elements(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let values)? = value { return values }
        return []
    }

    static func parseTime(_ text: String) -> Date? {
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }
}
