import Curl
import Foundation
import TuttiDomain

/// Sends mail through an SMTP relay with libcurl: STARTTLS or implicit TLS, optional AUTH,
/// a MIME message with text and html parts, a Message-ID derived from the delivery id and
/// `List-Unsubscribe` headers.
///
/// The provider message id of an accepted mail is its Message-ID, which is what bounces
/// and feedback reports quote back.
public struct SMTPConnector: Connector {
    public let configuration: SMTPChannelConfiguration
    let clock: @Sendable () -> Date

    public init(configuration: SMTPChannelConfiguration, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        self.clock = clock
    }

    /// The submission for `delivery`, with the message rendered.
    public func message(for delivery: Delivery) throws(ConnectorError) -> SMTPMessage {
        let mail = try composition(for: delivery)
        let scheme = configuration.security == .tls ? "smtps" : "smtp"
        return SMTPMessage(
            url: "\(scheme)://\(configuration.host):\(configuration.port)/\(configuration.messageIDDomain)",
            from: configuration.bounceAddress ?? configuration.fromAddress,
            recipients: [mail.to],
            data: MIMEMessage.render(mail, date: clock()),
            credentials: configuration.username.map { .init(username: $0, password: configuration.password ?? "") },
            requireTLS: configuration.security == .starttls,
            caCertificates: configuration.caCertificates
        )
    }

    func composition(for delivery: Delivery) throws(ConnectorError) -> MailComposition {
        try MailComposition(
            delivery: delivery, fromAddress: configuration.fromAddress, fromName: configuration.fromName,
            replyTo: configuration.replyTo, unsubscribeMailto: configuration.unsubscribeMailto,
            messageIDDomain: configuration.messageIDDomain)
    }

    /// Sends the mail; the report carries no status (an SMTP reply code is not an HTTP
    /// status; the reason of a refusal quotes it).
    public func send(_ delivery: Delivery, through transport: CurlTransport) async -> SentDelivery {
        SentDelivery(outcome: await outcome(of: delivery, through: transport))
    }

    private func outcome(of delivery: Delivery, through transport: CurlTransport) async -> DeliveryOutcome {
        let message: SMTPMessage
        let mail: MailComposition
        do throws(ConnectorError) {
            mail = try composition(for: delivery)
            message = try self.message(for: delivery)
        } catch {
            return .failed(reason: error.description)
        }
        do throws(CurlTransportError) {
            let reply = try await transport.sendMail(message)
            return (200..<300).contains(reply.code)
                ? .accepted(providerMessageID: mail.messageID)
                : .retryLater(after: nil, reason: "the mail server answered \(reply.code) \(reply.text)")
        } catch {
            return DeliveryOutcome(error)
        }
    }
}
