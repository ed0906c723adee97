import Curl
import Foundation
import GatewayStandIns
import Testing
import TuttiConnectors
import TuttiDomain

/// Twilio, SendGrid and Mastodon requests as their API references document them, checked by
/// a recording stand-in that answers as the real service does.
@Suite("Twilio, SendGrid and Mastodon request shapes", .timeLimit(.minutes(1)))
struct ProviderRequestShapeTests {
    @Test func twilioGetsAFormWithBasicAuthStatusCallbackAndTheIdempotencyToken() async throws {
        let created = ScriptedResponse.json(201, #"{"sid": "SM0123456789abcdef0123456789abcdef", "status": "queued"}"#)
        try await withRecordingServer(default: created) { server in
            let connector = Connectors.connector(
                for: try configuration(.twilio, [
                    "account_sid": "AC11111111111111111111111111111111", "auth_token": "twilio-token-secret",
                    "from": "+15005550006", "status_callback": "https://hooks.example.com/twilio/status",
                    "base_url": .string(server.baseURL),
                ]))
            let delivery = Delivery.sample(recipient: "+41791234567", content: MessageContent(text: "Grüezi & hi = 20% off"))
            let outcome = try await withTransport { await connector.send(delivery, through: $0) }
            #expect(outcome.outcome == .accepted(providerMessageID: "SM0123456789abcdef0123456789abcdef") && outcome.httpStatus == 201, "\(outcome)")

            let request = try #require(try await server.requests().first)
            #expect(request.method == "POST")
            #expect(request.path == "/2010-04-01/Accounts/AC11111111111111111111111111111111/Messages.json")
            #expect(request.header("authorization")?.basicCredentials == "AC11111111111111111111111111111111:twilio-token-secret")
            #expect(request.header("content-type") == "application/x-www-form-urlencoded")
            #expect(request.header("i-twilio-idempotency-token") == delivery.id.uuidString.lowercased())
            #expect(request.form.map(\.name) == ["To", "From", "Body", "StatusCallback"])
            #expect(request.field("To") == "+41791234567" && request.field("From") == "+15005550006")
            #expect(request.field("Body") == "Grüezi & hi = 20% off")
            #expect(request.field("StatusCallback") == "https://hooks.example.com/twilio/status")
        }
    }

    @Test func twilioWithAMessagingServiceSendsItsSIDInsteadOfFrom() async throws {
        try await withRecordingServer(default: .json(201, #"{"sid": "SMx"}"#)) { server in
            let connector = Connectors.connector(
                for: try configuration(.twilio, [
                    "account_sid": "AC1", "auth_token": "t", "messaging_service_sid": "MG222", "base_url": .string(server.baseURL),
                ]))
            _ = try await withTransport { await connector.send(.sample(recipient: "+41791234567", content: MessageContent(text: "hi")), through: $0) }
            let request = try #require(try await server.requests().first)
            #expect(request.field("MessagingServiceSid") == "MG222" && request.field("From") == nil)
        }
    }

    @Test func sendGridGetsBearerJSONWithPersonalizationsContentAndCustomArgs() async throws {
        let accepted = ScriptedResponse(status: 202, headers: ["X-Message-Id": "sg-msg-1"])
        try await withRecordingServer(default: accepted) { server in
            let connector = Connectors.connector(
                for: try configuration(.sendgrid, [
                    "api_key": "SG.secret-api-key", "from_address": "news@shop.example.com", "from_name": "Shop",
                    "base_url": .string(server.baseURL),
                ]))
            let delivery = Delivery.sample(recipient: "ann@example.com", unsubscribe: UnsubscribeLinks(oneClickURL: "https://t.example.com/u/1"))
            let outcome = try await withTransport { await connector.send(delivery, through: $0) }
            #expect(outcome.outcome == .accepted(providerMessageID: "sg-msg-1") && outcome.httpStatus == 202, "\(outcome)")

            let request = try #require(try await server.requests().first)
            #expect(request.path == "/v3/mail/send")
            #expect(request.header("authorization") == "Bearer SG.secret-api-key")
            let body = request.jsonObject
            let personalization = try #require((body["personalizations"] as? [[String: Any]])?.first)
            #expect((personalization["to"] as? [[String: String]]) == [["email": "ann@example.com"]])
            #expect((personalization["custom_args"] as? [String: String])?["tutti_delivery_id"] == delivery.id.uuidString.lowercased())
            #expect((body["from"] as? [String: String]) == ["email": "news@shop.example.com", "name": "Shop"])
            #expect(body["subject"] as? String == "Hello")
            #expect((body["content"] as? [[String: String]])?.map { $0["type"] } == ["text/plain", "text/html"])
            #expect((body["headers"] as? [String: String])?["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click")
        }
    }

    @Test func mastodonGetsADirectStatusMentioningTheRecipientWithTheIdempotencyKey() async throws {
        try await withRecordingServer(default: .json(200, #"{"id": "109876543210", "visibility": "direct"}"#)) { server in
            let connector = Connectors.connector(
                for: try configuration(.mastodon, ["base_url": .string(server.baseURL), "access_token": "masto-token"]))
            let delivery = Delivery.sample(recipient: "ann@social.example", content: MessageContent(text: "Your order shipped"))
            let outcome = try await withTransport { await connector.send(delivery, through: $0) }
            #expect(outcome.outcome == .accepted(providerMessageID: "109876543210") && outcome.httpStatus == 200, "\(outcome)")

            let request = try #require(try await server.requests().first)
            #expect(request.path == "/api/v1/statuses")
            #expect(request.header("authorization") == "Bearer masto-token")
            #expect(request.header("idempotency-key") == delivery.id.uuidString.lowercased())
            #expect(request.jsonObject["status"] as? String == "@ann@social.example Your order shipped")
            #expect(request.jsonObject["visibility"] as? String == "direct")
        }
    }

    @Test func eachGatewaysRateLimitServerErrorAndRefusalMapToRetryRetryAndFailure() async throws {
        let script = [
            ScriptedResponse.json(429, #"{"code": 20429, "message": "Too Many Requests"}"#, headers: ["Retry-After": "12"]),
            .json(500, #"{"message": "internal"}"#),
            .json(400, #"{"code": 21211, "message": "The 'To' number is not a valid phone number."}"#),
        ]
        for type in [ChannelType.twilio, .sendgrid, .mastodon] {
            try await withRecordingServer(responses: script) { server in
                let fields: [String: JSONValue] = switch type {
                case .twilio: ["account_sid": "AC1", "auth_token": "t", "from": "+15005550006", "base_url": .string(server.baseURL)]
                case .sendgrid: ["api_key": "k", "from_address": "a@shop.example.com", "base_url": .string(server.baseURL)]
                default: ["access_token": "t", "base_url": .string(server.baseURL)]
                }
                let connector = Connectors.connector(for: try configuration(type, fields))
                let recipient = type == .sendgrid ? "ann@example.com" : type == .twilio ? "+41791234567" : "@ann@social.example"
                let outcomes = try await withTransport { transport in
                    var outcomes: [SentDelivery] = []
                    for _ in 0..<3 { outcomes.append(await connector.send(.sample(recipient: recipient), through: transport)) }
                    return outcomes
                }
                #expect(outcomes[0].retryDelay == .some(.seconds(12)), "\(type): \(outcomes[0])")
                #expect(outcomes[1].retryDelay == .some(nil), "\(type): \(outcomes[1])")
                #expect(outcomes[2].isFailed && outcomes[2].reason?.contains("not a valid phone number") == true, "\(type): \(outcomes[2])")
                #expect(outcomes.map(\.httpStatus) == [429, 500, 400], "\(type): the gateway's statuses are reported")
            }
        }
    }
}
