import Foundation
import Testing
import TuttiConnectors
import TuttiDomain

/// SNS bodies and the SES events inside them, without a database (the signed round trip is
/// SNSReceiptTests in TuttiAPITests).
@Suite("SES events through SNS, parsed")
struct SESReceiptParsingTests {
    func notification(_ message: String, subject: String? = nil) throws -> SNSMessage {
        var fields: [String: Any] = [
            "Type": "Notification", "MessageId": "m-1", "TopicArn": "arn:aws:sns:eu-west-1:1:t", "Message": message,
            "Timestamp": "2026-12-08T00:00:00.000Z", "SignatureVersion": "1", "Signature": "c2ln",
            "SigningCertURL": "https://sns.eu-west-1.amazonaws.com/c.pem", "UnsubscribeURL": "https://x",
        ]
        if let subject { fields["Subject"] = subject }
        return try SNSMessage.parse(Array(try JSONSerialization.data(withJSONObject: fields)))
    }

    @Test func stringToSignFollowsTheDocumentedOrder() throws {
        #expect(
            try notification("hi").stringToSign
                == "Message\nhi\nMessageId\nm-1\nTimestamp\n2026-12-08T00:00:00.000Z\nTopicArn\narn:aws:sns:eu-west-1:1:t\nType\nNotification\n"
        )
        #expect(try notification("hi", subject: "S").stringToSign.contains("MessageId\nm-1\nSubject\nS\nTimestamp\n"))
        let confirmation = try SNSMessage.parse(
            Array(
                #"{"Type": "SubscriptionConfirmation", "MessageId": "m", "TopicArn": "t", "Message": "x", "Timestamp": "ts", "SignatureVersion": "2", "Signature": "s", "SigningCertURL": "c", "SubscribeURL": "u", "Token": "k", "Subject": "ignored"}"#
                    .utf8))
        #expect(
            confirmation.stringToSign
                == "Message\nx\nMessageId\nm\nSubscribeURL\nu\nTimestamp\nts\nToken\nk\nTopicArn\nt\nType\nSubscriptionConfirmation\n"
        )
    }

    @Test func eventPublishingAndIdentityNotificationsBothRead() throws {
        let channel = UUID()
        let published = try SESReceipts.receipts(
            try notification(
                #"{"eventType": "Bounce", "bounce": {"bounceType": "Undetermined", "bouncedRecipients": [{"emailAddress": "a@example.com"}, {"emailAddress": "b@example.com"}]}, "mail": {"messageId": "ses-1"}}"#
            ), channelID: channel, receivedAt: Date())
        #expect(published.map(\.kind) == [.blocked, .blocked])
        #expect(published.allSatisfy { $0.suppression == nil && $0.providerMessageID == "ses-1" && $0.gateway == "ses" })
        #expect(published.map(\.dedupKey) == ["ses:m-1:a@example.com", "ses:m-1:b@example.com"])

        let complaint = try SESReceipts.receipts(
            try notification(
                #"{"notificationType": "Complaint", "complaint": {"feedbackId": "fb", "complainedRecipients": [{"emailAddress": "c@example.com"}]}, "mail": {"messageId": "ses-2"}}"#
            ), channelID: channel, receivedAt: Date())
        #expect(complaint.first?.suppression == .complaint)
        #expect(complaint.first?.consentSource == "ses complaint (fb)")

        #expect(try SESReceipts.receipts(try notification("not an SES event"), channelID: channel, receivedAt: Date()).isEmpty)
        #expect(
            try SESReceipts.receipts(
                try notification(#"{"eventType": "Send", "mail": {"messageId": "x"}}"#), channelID: channel, receivedAt: Date()
            ).isEmpty)
        #expect(throws: SESReceipts.Invalid.self) {
            try SESReceipts.receipts(
                try notification(#"{"eventType": "Delivery", "delivery": {"recipients": [1]}, "mail": {"messageId": "x"}}"#),
                channelID: channel, receivedAt: Date())
        }
    }

    @Test func malformedBodiesAreInvalid() {
        for body in ["", "[]", "{}", #"{"Type": "Notification"}"#, #"{"Type": 1}"#] {
            #expect(throws: SNSMessage.Invalid.self, "\(body)") { try SNSMessage.parse(Array(body.utf8)) }
        }
    }
}
