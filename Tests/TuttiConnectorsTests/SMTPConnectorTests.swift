import Curl
import Foundation
import GatewayStandIns
import Testing
import TuttiConnectors
import TuttiDomain

/// Mail through libcurl's SMTP to an aiosmtpd sink; Python's `email` package reads what
/// arrived, as a receiving mail system would.
@Suite("SMTP connector", .timeLimit(.minutes(1)))
struct SMTPConnectorTests {
    private func smtpConfiguration(port: Int, _ extra: [String: JSONValue] = [:]) throws -> ChannelConfiguration {
        var fields: [String: JSONValue] = [
            "host": "127.0.0.1", "port": .number(Double(port)), "security": "none",
            "from_address": "news@shop.example.com", "from_name": "Café Shop",
        ]
        fields.merge(extra) { $1 }
        return try configuration(.smtp, fields)
    }

    @Test func aMultipartMessageArrivesWithItsHeadersPartsAndEncodings() async throws {
        try await withSMTPSink { sink in
            let subject = "Grüße aus Zürich – 20 % Rabatt 🎉 auf alles, nur dieses Wochenende, solange der Vorrat reicht"
            let text = "Hallo Ann,\n\nheute gibt es 20 % Rabatt = ein gutes Geschäft.\n.Eine Zeile mit Punkt am Anfang.\n" + String(repeating: "lange Zeile ", count: 20)
            let html = "<p>Hallo <b>Ann</b>, heute gibt es 20&nbsp;% Rabatt – schön!</p>"
            let delivery = Delivery.sample(
                recipient: "ann@example.com", content: MessageContent(subject: subject, text: text, html: html),
                unsubscribe: UnsubscribeLinks(oneClickURL: "https://t.example.com/u/abc123", mailto: "unsub@shop.example.com"))
            let connector = Connectors.connector(for: try smtpConfiguration(port: sink.port))
            let outcome = try await withTransport { await connector.send(delivery, through: $0) }
            let messageID = "<\(delivery.id.uuidString.lowercased())@shop.example.com>"
            #expect(outcome.outcome == .accepted(providerMessageID: messageID) && outcome.httpStatus == nil, "an SMTP reply code is no HTTP status: \(outcome)")

            let mail = try #require(try await sink.messages().first)
            #expect(mail.mailFrom == "news@shop.example.com" && mail.recipients == ["ann@example.com"])
            #expect(mail.defects.isEmpty, "\(mail.defects)")
            #expect(mail.header("Message-ID") == messageID)
            #expect(mail.header("Subject") == subject)
            #expect(mail.rawHeader("Subject")?.hasPrefix("=?UTF-8?B?") == true, "non-ASCII subjects travel as RFC 2047 words")
            #expect(mail.header("From") == "Café Shop <news@shop.example.com>")
            #expect(mail.header("To") == "ann@example.com")
            #expect(mail.header("Date") != nil)
            #expect(mail.header("List-Unsubscribe") == "<https://t.example.com/u/abc123>, <mailto:unsub@shop.example.com?subject=unsubscribe>")
            #expect(mail.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click")
            #expect(mail.contentType == "multipart/alternative")
            let plain = try #require(mail.part("text/plain")), rich = try #require(mail.part("text/html"))
            #expect(plain["charset"] as? String == "utf-8" && plain["transfer_encoding"] as? String == "quoted-printable")
            #expect((plain["content"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n") == text)
            #expect((rich["content"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n") == html)
            let long = mail.raw.split(whereSeparator: \.isNewline).filter { $0.utf8.count > 78 }
            #expect(long.isEmpty, "no line longer than RFC 5322 recommends: \(long)")
        }
    }

    @Test func aRetriedDeliveryCarriesTheSameMessageID() async throws {
        try await withSMTPSink { sink in
            let connector = Connectors.connector(for: try smtpConfiguration(port: sink.port))
            let delivery = Delivery.sample(recipient: "ann@example.com")
            _ = try await withTransport { transport in
                (await connector.send(delivery, through: transport), await connector.send(delivery, through: transport))
            }
            let mails = try await sink.messages(atLeast: 2)
            #expect(mails[0].header("Message-ID") == mails[1].header("Message-ID"))
        }
    }

    @Test func authenticationWithTheRightPasswordIsAcceptedAndWithAWrongOneFails() async throws {
        try await withSMTPSink(auth: (user: "relay-user", password: "relay-pass")) { sink in
            let good = Connectors.connector(for: try smtpConfiguration(port: sink.port, ["username": "relay-user", "password": "relay-pass"]))
            let bad = Connectors.connector(for: try smtpConfiguration(port: sink.port, ["username": "relay-user", "password": "wrong"]))
            let (accepted, refused) = try await withTransport { transport in
                (await good.send(.sample(recipient: "ann@example.com"), through: transport),
                 await bad.send(.sample(recipient: "ann@example.com"), through: transport))
            }
            #expect(accepted.isAccepted, "\(accepted)")
            #expect(refused.isFailed && refused.reason?.contains("535") == true, "\(refused)")
            #expect(try await sink.messages().first?.authenticatedUser == "relay-user")
        }
    }

    @Test func startTLSIsUsedWhenTheRelaysCertificateIsTrustedAndRefusedOtherwise() async throws {
        let certificate = try SelfSignedCertificate.make()
        defer { certificate.remove() }
        try await withSMTPSink(certificate: certificate, requireStartTLS: true) { sink in
            let trusted = Connectors.connector(
                for: try smtpConfiguration(port: sink.port, ["security": "starttls", "host": "localhost", "ca_pem": .string(certificate.pem)]))
            let untrusted = Connectors.connector(for: try smtpConfiguration(port: sink.port, ["security": "starttls", "host": "localhost"]))
            let (accepted, refused) = try await withTransport { transport in
                (await trusted.send(.sample(recipient: "ann@example.com"), through: transport),
                 await untrusted.send(.sample(recipient: "ann@example.com"), through: transport))
            }
            #expect(accepted.isAccepted, "\(accepted)")
            #expect(refused.isRetry && refused.reason?.hasPrefix("tls") == true, "\(refused)")
            #expect(try await sink.messages().first?.overTLS == true)
        }
    }

    @Test func anUnknownRecipientFailsAndAFullMailboxIsRetried() async throws {
        try await withSMTPSink { sink in
            let connector = Connectors.connector(for: try smtpConfiguration(port: sink.port))
            let (unknown, full) = try await withTransport { transport in
                (await connector.send(.sample(recipient: "reject-550@example.com"), through: transport),
                 await connector.send(.sample(recipient: "busy-452@example.com"), through: transport))
            }
            #expect(unknown.isFailed && unknown.reason?.contains("550") == true, "\(unknown)")
            #expect(full.isRetry && full.reason?.contains("452") == true, "\(full)")
        }
    }

    @Test func aDeliveryWithoutRecipientOrBodyFailsWithoutConnecting() async throws {
        let connector = Connectors.connector(for: try smtpConfiguration(port: 1))
        let (noRecipient, noBody) = try await withTransport { transport in
            (await connector.send(.sample(recipient: nil), through: transport),
             await connector.send(.sample(recipient: "ann@example.com", content: MessageContent(subject: "Empty")), through: transport))
        }
        #expect(noRecipient.isFailed && noRecipient.reason?.contains("recipient") == true)
        #expect(noBody.isFailed && noBody.reason?.contains("text or html") == true)
    }
}

@Suite("SMTP connection reuse", .timeLimit(.minutes(1)))
struct SMTPConnectionReuseTests {
    @Test func aChannelThatRequiresStartTLSNeverRidesOnAPlainConnection() async throws {
        let certificate = try SelfSignedCertificate.make()
        defer { certificate.remove() }
        try await withSMTPSink(certificate: certificate) { sink in
            func channel(_ security: String) throws -> any Connector {
                Connectors.connector(
                    for: try configuration(.smtp, [
                        "host": "localhost", "port": .number(Double(sink.port)), "security": .string(security),
                        "from_address": "news@shop.example.com",
                    ]))
            }
            let plain = try channel("none"), secure = try channel("starttls")
            // Trusted through the transport, not the channel, so connections may be reused.
            let transport = CurlTransport(configuration: .init(caFile: certificate.certificatePath, proxy: .none))
            let outcomes = [
                await plain.send(.sample(recipient: "ann@example.com"), through: transport),
                await secure.send(.sample(recipient: "ann@example.com"), through: transport),
            ]
            await transport.shutdown()
            #expect(outcomes.allSatisfy { $0.isAccepted }, "\(outcomes)")
            let mails = try await sink.messages(atLeast: 2)
            #expect(mails.map(\.overTLS) == [false, true])
        }
    }
}
