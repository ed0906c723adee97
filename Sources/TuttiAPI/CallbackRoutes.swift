import Foundation
import Hummingbird
import Logging
import NIOCore
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// Gateway callbacks, `/v1/callbacks/{channel_id}/…` (docs/closed-loop.md "Receipts"): public
/// routes without an API key, each verified by its gateway's own signature instead.
///
/// The channel id in the path finds the tenant through the one narrow look-up
/// (``Database/callbackChannel(_:logger:)``); everything after — opening the channel's
/// credentials, checking the signature, recording — runs in that tenant's session under
/// row-level security. A bad or missing signature answers 403 with nothing stored (the
/// transaction is rolled back by the thrown problem); an unknown channel, or a channel of
/// another type, answers 404.
enum CallbackRoutes {
    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        TwilioCallbackRoutes.add(to: group, dependencies: dependencies)
        SendGridCallbackRoute.add(to: group, dependencies: dependencies)
        SNSCallbackRoute.add(to: group, dependencies: dependencies)
    }

    /// The tenant of the channel in the path, when it is a live channel of `type`.
    static func tenant(of context: APIRequestContext, type: ChannelType, dependencies: APIDependencies) async throws -> (
        channelID: UUID, tenantID: UUID
    ) {
        let channelID = try context.uuidParameter("channel_id")
        guard let found = try await dependencies.database.callbackChannel(channelID, logger: context.logger), found.type == type
        else {
            throw Problem.notFound("No \(type.rawValue) channel with this id.")
        }
        return (channelID, found.tenantID)
    }

    /// The raw body, which the signatures cover byte for byte.
    static func body(of request: Request, limit: Int) async throws -> [UInt8] {
        do {
            return Array(buffer: try await request.body.collect(upTo: limit))
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Problem.contentTooLarge(limit: limit)
        } catch is NIOTooManyBytesError {
            throw Problem.contentTooLarge(limit: limit)
        }
    }

    /// The 403 for a signature that is missing or does not verify.
    static func badSignature(_ detail: String) -> Problem {
        Problem(.forbidden, slug: "invalid-signature", title: "Invalid Signature", detail: detail)
    }

    /// What a callback stored: `received` reports, `stored` of them new (a replay stores 0).
    struct Recorded: Encodable {
        var received: Int
        var stored: Int
    }
}
