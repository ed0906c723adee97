import Curl
import GatewayStandIns
import Testing

/// `sendMail` over libcurl's SMTP, against an aiosmtpd sink.
@Suite("Mail", .timeLimit(.minutes(1)))
struct TransportMailTests {
    private func message(port: Int, to recipient: String = "ann@example.com") -> SMTPMessage {
        SMTPMessage(
            url: "smtp://127.0.0.1:\(port)/tutti.test", from: "news@example.com", recipients: [recipient],
            data: Array("Subject: hi\r\n\r\n.leading dot\r\nbody\r\n".utf8))
    }

    @Test func aMailIsDeliveredAndTheFinalReplyComesBack() async throws {
        try await withSMTPSink { sink in
            let reply = try await withTransport { try await $0.sendMail(message(port: sink.port)) }
            #expect(reply.code == 250)
            #expect(reply.text == "2.0.0 Ok: queued as SINK1")
            let mail = try #require(try await sink.messages().first)
            #expect(mail.recipients == ["ann@example.com"] && mail.mailFrom == "news@example.com")
            #expect(mail.raw.contains("\r\n.leading dot\r\n"), "libcurl dot-stuffs and the server un-stuffs")
        }
    }

    @Test(arguments: [("reject-550@example.com", 550, false), ("busy-452@example.com", 452, true)])
    func aRefusedRecipientIsRejectedWithItsReplyCode(recipient: String, code: Int, transient: Bool) async throws {
        try await withSMTPSink { sink in
            let error = try await withTransport { transport in
                await #expect(throws: CurlTransportError.self) { try await transport.sendMail(message(port: sink.port, to: recipient)) }
            }
            #expect(error?.code == .rejected && error?.replyCode == code)
            #expect(error?.isTransient == transient)
        }
    }

    @Test func mailMayNotGoToAnHTTPURLNorCarryALineBreakInAnAddress() async throws {
        try await withTransport { transport in
            let wrongScheme = await #expect(throws: CurlTransportError.self) {
                try await transport.sendMail(SMTPMessage(url: "http://127.0.0.1:1/", from: "a@example.com", recipients: ["b@example.com"], data: []))
            }
            #expect(wrongScheme?.code == .protocolNotAllowed)
            let injected = await #expect(throws: CurlTransportError.self) {
                try await transport.sendMail(
                    SMTPMessage(url: "smtp://127.0.0.1:1/", from: "a@example.com", recipients: ["b@example.com>\r\nRCPT TO:<c@example.com"], data: []))
            }
            #expect(injected?.code == .invalidRequest)
        }
    }

    @Test func theDescriptionNeverShowsThePassword() {
        let message = SMTPMessage(
            url: "smtp://relay.example.com:587", from: "a@example.com", recipients: ["b@example.com"], data: [],
            credentials: .init(username: "relay", password: "hunter2-secret"))
        #expect(!String(describing: message).contains("hunter2"))
        #expect(!String(describing: HTTPAuthentication.basic(username: "u", password: "hunter2-secret")).contains("hunter2"))
    }
}
