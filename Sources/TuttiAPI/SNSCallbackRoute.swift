import Foundation
import Hummingbird
import Logging
import TuttiConnectors
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// `POST /v1/callbacks/{channel_id}/sns`: Amazon SES events delivered by Amazon SNS to an SES
/// channel (docs/closed-loop.md, "Amazon SES through SNS").
///
/// Only the channel's own topics (`sns_topic_arns`) are accepted; the signature (version 1
/// SHA1withRSA or 2 SHA256withRSA) is checked with the certificate at `SigningCertURL`,
/// fetched over https only from `TUTTI_SNS_CERT_HOSTS`. A `SubscriptionConfirmation` is
/// confirmed by fetching its `SubscribeURL` (same hosts); a `Notification` carrying an SES
/// Delivery, Bounce or Complaint becomes receipts, recorded like every gateway's.
///
/// The channel is read in one short transaction and the receipts recorded in another, so no
/// database connection waits on the certificate fetch.
enum SNSCallbackRoute {
    /// Signing certificates' keys by URL, for the life of the process (SNS reuses a
    /// certificate for months).
    static let keys = SNSKeyCache()

    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        group.post("/v1/callbacks/:channel_id/sns") { request, context -> Response in
            let (channelID, tenantID) = try await CallbackRoutes.tenant(of: context, type: .ses, dependencies: dependencies)
            let body = try await CallbackRoutes.body(of: request, limit: dependencies.maxBodyBytes)
            let message: SNSMessage
            do throws(SNSMessage.Invalid) {
                message = try SNSMessage.parse(body)
            } catch {
                throw Problem.badRequest("\(error.field) \(error.message).", slug: "malformed-sns-message")
            }
            let keyring = dependencies.configuration.channelKeys
            let topics = try await dependencies.database.withTenant(tenantID, logger: context.logger) { session in
                guard case .ses(let ses)? = try await session.channelLoad(id: channelID, keyring: keyring)?.configuration else {
                    throw Problem.notFound("No ses channel with this id.")
                }
                return ses.snsTopicARNs
            }
            guard topics.contains(message.topicARN) else {
                throw Problem(
                    .forbidden, slug: "topic-not-allowed", title: "Topic Not Allowed",
                    detail: "The channel does not accept messages from this TopicArn (its sns_topic_arns).")
            }
            let sns = dependencies.configuration.sns
            let certificates = SNSCertificates(
                hosts: SNSHostPatterns(sns.certificateHosts), caCertificates: sns.caCertificates,
                transport: dependencies.transport, cache: keys)
            let key: SNSSignature.PublicKey
            do throws(SNSCertificates.Failure) {
                key = try await certificates.key(at: message.signingCertURL)
            } catch {
                throw problem(error, url: "SigningCertURL", logger: context.logger)
            }
            guard SNSSignature.isValid(message, key: key) else {
                throw CallbackRoutes.badSignature("The signature does not verify under the certificate at SigningCertURL.")
            }
            switch message.type {
            case "SubscriptionConfirmation":
                do throws(SNSCertificates.Failure) {
                    try await certificates.confirm(message.subscribeURL ?? "")
                } catch {
                    throw problem(error, url: "SubscribeURL", logger: context.logger)
                }
                context.logger.info("SNS subscription confirmed", metadata: ["channel_id": "\(channelID)"])
                return try JSONResponse.make(.ok, Answer(received: 0, stored: 0, subscriptionConfirmed: true))
            case "Notification":
                let now = Date()
                let receipts: [Receipt]
                do throws(SESReceipts.Invalid) {
                    receipts = try SESReceipts.receipts(message, channelID: channelID, receivedAt: now)
                } catch {
                    throw Problem.badRequest("\(error.field) \(error.message).", slug: "malformed-events")
                }
                let recording = try await dependencies.database.withTenant(tenantID, logger: context.logger) { session in
                    try await session.receiptsRecord(receipts, at: now)
                }
                return try JSONResponse.make(.ok, Answer(received: receipts.count, stored: recording.stored))
            default:
                // UnsubscribeConfirmation: nothing to do; the topic no longer sends here.
                return try JSONResponse.make(.ok, Answer(received: 0, stored: 0))
            }
        }
    }

    /// The answer for a URL that was not fetched: 403 off the allowed hosts or not a
    /// certificate, 503 when the fetch failed (SNS retries).
    static func problem(_ failure: SNSCertificates.Failure, url: String, logger: Logger) -> Problem {
        switch failure {
        case .hostNotAllowed:
            return CallbackRoutes.badSignature("\(url) is not an https URL on an allowed SNS host (TUTTI_SNS_CERT_HOSTS).")
        case .notACertificate:
            return CallbackRoutes.badSignature("\(url) did not answer an RSA certificate in PEM.")
        case .unavailable(let reason):
            logger.warning("SNS fetch failed", metadata: ["url": "\(url)", "reason": "\(reason)"])
            return Problem.serviceUnavailable("\(url) could not be fetched (\(reason)); try again later.")
        }
    }

    /// What the callback did: like ``CallbackRoutes/Recorded``, and whether a subscription
    /// was confirmed.
    struct Answer: Encodable {
        var received: Int
        var stored: Int
        var subscriptionConfirmed: Bool?

        enum CodingKeys: String, CodingKey {
            case received, stored
            case subscriptionConfirmed = "subscription_confirmed"
        }
    }
}
