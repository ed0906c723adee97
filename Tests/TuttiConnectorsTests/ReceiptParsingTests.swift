import Crypto
import Foundation
import Testing
import TuttiConnectors
import TuttiDomain

/// The pure half of gateway receipts: forms, signatures, keywords and event mapping. The
/// endpoints are tested against the real `twilio` and `sendgrid` libraries in TuttiAPITests.
@Suite("Receipt parsing")
struct ReceiptParsingTests {
    @Test func formsDecodeAsTwilioEncodesThemAndMalformedOnesAreRefused() throws {
        let fields = try #require(FormDecoding.decode(Array("Body=Hello+there%21&To=%2B1555&Empty=&Body=again".utf8)))
        #expect(fields.map(\.name) == ["Body", "To", "Empty", "Body"])
        #expect(fields.map(\.value) == ["Hello there!", "+1555", "", "again"])
        #expect(FormDecoding.decode([])?.isEmpty == true)
        for bad in ["a=%zz", "a=%4", "a=%C3%28", "=value"] { #expect(FormDecoding.decode(Array(bad.utf8)) == nil, "\(bad)") }
    }

    /// Twilio's documented example (docs/usage/security), the value its RequestValidator gives.
    @Test func twilioSignaturesMatchTwilioWithOrWithoutTheDefaultPort() {
        let fields = [
            ("CallSid", "CA1234567890ABCDE"), ("Caller", "+12349013030"), ("Digits", "1234"), ("From", "+12349013030"),
            ("To", "+18005551212"),
        ].map { (name: $0.0, value: $0.1) }
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2"
        #expect(TwilioRequestSignature.compute(url: url, fields: fields, authToken: "12345") == "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
        #expect(
            TwilioRequestSignature.isValid(
                signature: "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", url: url, fields: fields, authToken: "12345"))
        // Signed with :443 (as Twilio may have been given the URL), verified without it.
        #expect(
            TwilioRequestSignature.isValid(
                signature: "EpDEmp1PyjDYp77YxYU3GILBWzE=", url: url, fields: fields, authToken: "12345"))
        #expect(
            !TwilioRequestSignature.isValid(
                signature: "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", url: url, fields: fields, authToken: "12346"))
        #expect(!TwilioRequestSignature.isValid(signature: "", url: url, fields: fields, authToken: "12345"))
        #expect(
            !TwilioRequestSignature.isValid(
                signature: "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", url: url, fields: fields + [(name: "Extra", value: "1")],
                authToken: "12345"))
    }

    @Test func keywordsAreTheWholeBodyTrimmedInAnyCase() {
        for word in ["STOP", "stopall", " Unsubscribe ", "cancel", "END", "quit", "Revoke", "OPTOUT\n"] {
            #expect(SMSKeyword(body: word) == .optOut, "\(word)")
        }
        for word in ["START", "unstop", "Yes"] { #expect(SMSKeyword(body: word) == .optIn, "\(word)") }
        for word in ["HELP", " info "] { #expect(SMSKeyword(body: word) == .help, "\(word)") }
        for text in ["stop please", "S TOP", "", "STOP!", "yes please"] { #expect(SMSKeyword(body: text) == nil, "\(text)") }
    }

    @Test func twilioCallbacksBecomeReceipts() throws {
        let channel = UUID()
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let status = try #require(
            try TwilioReceipts.status(
                [("MessageSid", "SM1"), ("MessageStatus", "undelivered"), ("ErrorCode", "30003"), ("To", "+15550100001")],
                channelID: channel, receivedAt: now))
        #expect(status.kind == .undelivered)
        #expect(status.dedupKey == "twilio:SM1:undelivered")
        #expect(status.providerMessageID == "SM1")
        #expect(status.address == Identity(stored: .phone, value: "+15550100001"))
        #expect(
            try TwilioReceipts.status([("MessageSid", "SM1"), ("MessageStatus", "queued")], channelID: channel, receivedAt: now)
                == nil)
        #expect(throws: TwilioReceipts.Invalid.self) {
            try TwilioReceipts.status([("MessageStatus", "sent")], channelID: channel, receivedAt: now)
        }

        let stop = try TwilioReceipts.inbound(
            [("MessageSid", "SM2"), ("From", "+15550100001"), ("Body", " Stop ")], channelID: channel, receivedAt: now)
        #expect(stop.keyword == .optOut)
        #expect(stop.receipt.suppression == .stop)
        #expect(stop.receipt.consent?.status == .optedOut)
        #expect(stop.receipt.consentSource == "sms keyword STOP (Twilio SM2)")
        let start = try TwilioReceipts.inbound(
            [("MessageSid", "SM3"), ("From", "+15550100001"), ("Body", "yes")], channelID: channel, receivedAt: now)
        #expect(start.receipt.liftsStopSuppression)
        #expect(start.receipt.consent?.status == .optedIn)
        let other = try TwilioReceipts.inbound(
            [("MessageSid", "SM4"), ("From", "Shortcode"), ("Body", "hi")], channelID: channel, receivedAt: now)
        #expect(other.receipt.kind == .inbound)
        #expect(other.receipt.address == nil)
        #expect(other.receipt.kind.eventName == "SMS Received")
    }

    @Test func sendGridEventsMapToReceiptsWithTheirEffects() throws {
        let message = UUID()
        let body = """
            [{"event": "processed", "sg_event_id": "p"},
             {"event": "bounce", "type": "bounce", "sg_event_id": "b", "email": "Ann@Example.com", "sg_message_id": "XYZ.filter1",
              "timestamp": 1700000000, "tutti_message_id": "\(message.uuidString)"},
             {"event": "bounce", "type": "blocked", "sg_event_id": "k", "email": "ann@example.com"},
             {"event": "spamreport", "sg_event_id": "s", "email": "bob@example.com"},
             {"event": "group_unsubscribe", "sg_event_id": "g", "email": "bob@example.com", "asm_group_id": 7}]
            """
        let receipts = try SendGridReceipts.receipts(Array(body.utf8), channelID: UUID(), receivedAt: Date())
        #expect(receipts.map(\.kind) == [.bounced, .blocked, .complained, .unsubscribed])
        #expect(receipts[0].messageID == message)
        #expect(receipts[0].providerMessageID == "XYZ")
        #expect(receipts[0].address == Identity(stored: .email, value: "ann@example.com"))
        #expect(receipts[0].occurredAt == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(receipts[0].suppression == .hardBounce)
        #expect(receipts[1].suppression == nil)
        #expect(receipts[2].suppression == .complaint)
        #expect(receipts[2].consent?.status == .optedOut)
        #expect(receipts[3].consent?.channel == .email)
        #expect(receipts[3].detail["asm_group_id"] == .number(7))
        for bad in [
            "{}", "[1]", #"[{"event": "open"}]"#, #"[{"sg_event_id": "x"}]"#,
            #"[{"event": "open", "sg_event_id": "x", "timestamp": -1}]"#,
        ] {
            #expect(throws: SendGridReceipts.Invalid.self, "\(bad)") {
                try SendGridReceipts.receipts(Array(bad.utf8), channelID: UUID(), receivedAt: Date())
            }
        }
    }

    @Test func sendGridSignaturesVerifyOverTimestampAndBodyOnly() throws {
        let key = P256.Signing.PrivateKey()
        let body = Array(#"[{"event":"open","sg_event_id":"1"}]"#.utf8)
        let signature = try key.signature(for: Data("1700000000".utf8) + body).derRepresentation.base64EncodedString()
        let shown = key.publicKey.derRepresentation.base64EncodedString()
        let publicKey = try #require(SendGridEventSignature.publicKey(shown))
        #expect(SendGridEventSignature.isValid(signature: signature, timestamp: "1700000000", body: body, key: publicKey))
        #expect(SendGridEventSignature.publicKey(key.publicKey.pemRepresentation) != nil)
        var tampered = body
        tampered[3] ^= 1
        #expect(!SendGridEventSignature.isValid(signature: signature, timestamp: "1700000000", body: tampered, key: publicKey))
        #expect(!SendGridEventSignature.isValid(signature: signature, timestamp: "1700000001", body: body, key: publicKey))
        #expect(!SendGridEventSignature.isValid(signature: "not base64", timestamp: "1700000000", body: body, key: publicKey))
        #expect(SendGridEventSignature.publicKey("bm90IGEga2V5") == nil)
    }
}
