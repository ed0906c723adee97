import Foundation
import HTTPTypes
import Hummingbird
import Logging
import TuttiConnectors
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// `POST /v1/callbacks/{channel_id}/sendgrid`: SendGrid's signed event webhook, verified with
/// the channel's `event_webhook_public_key` (ECDSA P-256 over the timestamp header + the raw
/// body) and deduplicated on `sg_event_id`, which SendGrid repeats when it retries.
enum SendGridCallbackRoute {
    static let signatureHeader = HTTPField.Name("X-Twilio-Email-Event-Webhook-Signature")!
    static let timestampHeader = HTTPField.Name("X-Twilio-Email-Event-Webhook-Timestamp")!

    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        group.post("/v1/callbacks/:channel_id/sendgrid") { request, context -> Response in
            let (channelID, tenantID) = try await CallbackRoutes.tenant(of: context, type: .sendgrid, dependencies: dependencies)
            let body = try await CallbackRoutes.body(of: request, limit: dependencies.maxBodyBytes)
            guard let signature = request.headers[signatureHeader], let timestamp = request.headers[timestampHeader],
                !signature.isEmpty, !timestamp.isEmpty
            else {
                throw CallbackRoutes.badSignature("The request carries no X-Twilio-Email-Event-Webhook-Signature and -Timestamp.")
            }
            let keyring = dependencies.configuration.channelKeys
            let now = Date()
            let recorded = try await dependencies.database.withTenant(tenantID, logger: context.logger) { session in
                guard
                    case .sendgrid(let sendgrid)? = try await session.channelLoad(id: channelID, keyring: keyring)?.configuration,
                    let keyText = sendgrid.eventWebhookPublicKey, let key = SendGridEventSignature.publicKey(keyText)
                else {
                    throw CallbackRoutes.badSignature("The channel has no usable event_webhook_public_key to verify events with.")
                }
                guard SendGridEventSignature.isValid(signature: signature, timestamp: timestamp, body: body, key: key) else {
                    throw CallbackRoutes.badSignature("The signature does not verify under the channel's event webhook key.")
                }
                let receipts: [Receipt]
                do throws(SendGridReceipts.Invalid) {
                    receipts = try SendGridReceipts.receipts(body, channelID: channelID, receivedAt: now)
                } catch {
                    throw Problem.badRequest("\(error.field) \(error.message).", slug: "malformed-events")
                }
                let recording = try await session.receiptsRecord(receipts, at: now)
                return CallbackRoutes.Recorded(received: receipts.count, stored: recording.stored)
            }
            return try JSONResponse.make(.ok, recorded)
        }
    }
}
