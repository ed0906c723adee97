import Foundation
import TuttiDomain

/// The parts of a mail every e-mail connector agrees on: sender, headers, unsubscribe links
/// and a Message-ID derived from the delivery, so a retried delivery carries the same id
/// and receivers (and our own bounce handling) can tell it is one message.
struct MailComposition: Sendable, Hashable {
    var messageID: String
    var fromAddress: String
    var fromName: String?
    var to: String
    var replyTo: String?
    var subject: String
    var text: String?
    var html: String?
    /// `List-Unsubscribe` targets, https first (RFC 8058 one-click needs one), or empty.
    var unsubscribeTargets: [String]
    var oneClick: Bool

    init(
        delivery: Delivery, fromAddress: String, fromName: String?, replyTo: String? = nil, unsubscribeMailto: String?,
        messageIDDomain: String
    ) throws(ConnectorError) {
        guard let recipient = delivery.recipient, !recipient.isEmpty else { throw .missingRecipient("an e-mail address") }
        guard Self.isHeaderSafe(recipient), recipient.contains("@") else {
            throw ConnectorError("the recipient is not a plain e-mail address")
        }
        let content = delivery.content
        guard content.text?.isEmpty == false || content.html?.isEmpty == false else { throw .missingContent("text or html") }
        messageID = "<\(delivery.id.uuidString.lowercased())@\(messageIDDomain)>"
        self.fromAddress = fromAddress
        self.fromName = fromName
        to = recipient
        self.replyTo = replyTo
        subject = content.subject ?? ""
        text = content.text?.isEmpty == false ? content.text : nil
        html = content.html?.isEmpty == false ? content.html : nil
        var targets: [String] = []
        let oneClickURL = delivery.unsubscribe?.oneClickURL
        if let oneClickURL { targets.append(oneClickURL) }
        if let mailto = delivery.unsubscribe?.mailto ?? unsubscribeMailto {
            targets.append("mailto:\(mailto)?subject=unsubscribe")
        }
        unsubscribeTargets = targets.filter(Self.isHeaderSafe)
        oneClick = oneClickURL?.lowercased().hasPrefix("https://") == true
    }

    /// Whether `value` can go between `<` and `>` in a header: no spaces, controls, angle
    /// brackets or commas that would end the target or the header early.
    static func isHeaderSafe(_ value: String) -> Bool {
        value.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7f && !"<>,\"".unicodeScalars.contains($0) }
    }

    /// `List-Unsubscribe` and, with an https link, `List-Unsubscribe-Post` (RFC 8058).
    var unsubscribeHeaders: [(name: String, value: String)] {
        guard !unsubscribeTargets.isEmpty else { return [] }
        var headers = [(name: "List-Unsubscribe", value: unsubscribeTargets.map { "<\($0)>" }.joined(separator: ", "))]
        if oneClick { headers.append((name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click")) }
        return headers
    }
}
