import Foundation
import HTTPTypes
import Hummingbird
import Logging
import TuttiConnectors
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// `POST /v1/callbacks/{channel_id}/twilio/status` (delivery status callbacks) and
/// `POST /v1/callbacks/{channel_id}/twilio/inbound` (incoming SMS), verified by
/// `X-Twilio-Signature` over `TUTTI_PUBLIC_URL` + the path, keyed with the channel's auth token.
enum TwilioCallbackRoutes {
    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        group.post("/v1/callbacks/:channel_id/twilio/status") { request, context -> Response in
            let (channelID, tenantID, fields) = try await verified(request, context: context, dependencies: dependencies)
            let now = Date()
            let receipt: Receipt?
            do throws(TwilioReceipts.Invalid) {
                receipt = try TwilioReceipts.status(fields, channelID: channelID, receivedAt: now)
            } catch {
                throw ValidationError(field: error.field, message: error.message).problem
            }
            let recording = try await dependencies.database.withTenant(tenantID, logger: context.logger) { session in
                try await session.receiptsRecord(receipt.map { [$0] } ?? [], at: now)
            }
            return try JSONResponse.make(.ok, CallbackRoutes.Recorded(received: receipt == nil ? 0 : 1, stored: recording.stored))
        }
        group.post("/v1/callbacks/:channel_id/twilio/inbound") { request, context -> Response in
            let (channelID, tenantID, fields) = try await verified(request, context: context, dependencies: dependencies)
            let now = Date()
            let inbound: (receipt: Receipt, keyword: SMSKeyword?)
            do throws(TwilioReceipts.Invalid) {
                inbound = try TwilioReceipts.inbound(fields, channelID: channelID, receivedAt: now)
            } catch {
                throw ValidationError(field: error.field, message: error.message).problem
            }
            let help = try await dependencies.database.withTenant(tenantID, logger: context.logger) { session in
                _ = try await session.receiptsRecord([inbound.receipt], at: now)
                return inbound.keyword == .help ? try await session.tenantSMSHelpText() : nil
            }
            return TwiML.response(message: help)
        }
    }

    /// The channel, its tenant and the form fields of a request whose signature verifies;
    /// a problem otherwise (400 for a body that is not a form, 403 for the signature).
    static func verified(_ request: Request, context: APIRequestContext, dependencies: APIDependencies) async throws -> (
        UUID, UUID, [(name: String, value: String)]
    ) {
        let (channelID, tenantID) = try await CallbackRoutes.tenant(of: context, type: .twilio, dependencies: dependencies)
        let body = try await CallbackRoutes.body(of: request, limit: dependencies.maxBodyBytes)
        guard let fields = FormDecoding.decode(body) else {
            throw Problem.badRequest(
                "The body is not an application/x-www-form-urlencoded form of UTF-8 text.", slug: "malformed-form")
        }
        guard let signature = request.headers[HTTPField.Name("X-Twilio-Signature")!], !signature.isEmpty else {
            throw CallbackRoutes.badSignature("The request carries no X-Twilio-Signature.")
        }
        var url = dependencies.configuration.publicBaseURL + request.uri.path
        if let query = request.uri.query { url += "?" + query }
        let keyring = dependencies.configuration.channelKeys
        let valid = try await dependencies.database.withTenant(tenantID, logger: context.logger) { session in
            guard case .twilio(let twilio)? = try await session.channelLoad(id: channelID, keyring: keyring)?.configuration else {
                return false
            }
            return TwilioRequestSignature.isValid(signature: signature, url: url, fields: fields, authToken: twilio.authToken)
        }
        guard valid else { throw CallbackRoutes.badSignature("X-Twilio-Signature does not match this request and channel.") }
        return (channelID, tenantID, fields)
    }
}

/// Twilio's answer format for incoming messages.
enum TwiML {
    /// `<Response/>`, with a reply `<Message>` when there is one.
    static func response(message: String?) -> Response {
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"#
        if let message {
            xml += "<Response><Message>\(escape(message))</Message></Response>"
        } else {
            xml += "<Response/>"
        }
        return Response(status: .ok, headers: [.contentType: "application/xml"], body: .init(byteBuffer: ByteBuffer(string: xml)))
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}
