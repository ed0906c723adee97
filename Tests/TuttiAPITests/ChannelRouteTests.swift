import Foundation
import GatewayStandIns
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Testing
import TuttiRuntime
import TuttiStore
import TuttiTestSupport

extension TestClientProtocol {
    /// Creates a channel from a JSON object and returns its answer.
    func createChannel(_ tenant: CreatedTenant, _ body: [String: Any]) async throws -> [String: Any] {
        let data = try JSONSerialization.data(withJSONObject: body)
        let (status, json) = try await send(.post, "/v1/channels", tenant, json: String(decoding: data, as: UTF8.self))
        try #require(status == .created, "channel create answered \(status): \(json)")
        return json
    }
}

private func webhookSecret() -> String {
    "whsec_" + Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
}

@Suite("Channels")
struct ChannelRouteTests {
    @Test func aChannelIsCreatedListedReadChangedAndDeletedWithoutItsSecretEverShown() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let secret = webhookSecret()
            let created = try await client.createChannel(
                tenant,
                [
                    "type": "webhook", "name": "Order hooks",
                    "config": ["url": "https://hooks.example.com/tutti", "secret": secret],
                    "rate_limit_per_second": 50,
                ])
            let id = try #require(created["id"] as? String)
            let config = try #require(created["config"] as? [String: Any])
            #expect(config["url"] as? String == "https://hooks.example.com/tutti")
            #expect((config["secret"] as? [String: Any])?["set"] as? Bool == true)
            #expect((config["secret"] as? [String: Any])?["last4"] as? String == String(secret.suffix(4)))
            #expect(created["rate_limit_per_second"] as? Int == 50 && created["secondary_channel_id"] is NSNull)

            let (_, list) = try await client.send(.get, "/v1/channels", tenant)
            let (_, got) = try await client.send(.get, "/v1/channels/\(id)", tenant)
            #expect((list["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [id])
            #expect(got["name"] as? String == "Order hooks")

            // A client that sends back what it read keeps the secret.
            let patch = try JSONSerialization.data(withJSONObject: [
                "name": "Orders", "config": config, "rate_limit_per_second": NSNull(),
            ])
            let (patched, updated) = try await client.send(
                .patch, "/v1/channels/\(id)", tenant, json: String(decoding: patch, as: UTF8.self))
            #expect(patched == .ok, "\(updated)")
            #expect(updated["name"] as? String == "Orders" && updated["rate_limit_per_second"] is NSNull)
            #expect(
                ((updated["config"] as? [String: Any])?["secret"] as? [String: Any])?["last4"] as? String
                    == String(secret.suffix(4)))

            for answer in [created, got, list, updated] {
                let text = String(decoding: try JSONSerialization.data(withJSONObject: answer), as: UTF8.self)
                #expect(
                    !text.contains(secret) && !text.contains(String(secret.dropFirst(6).prefix(20))), "a secret leaked: \(text)")
            }

            let (deleted, _) = try await client.send(.delete, "/v1/channels/\(id)", tenant)
            #expect(deleted == .noContent)
            let (gone, _) = try await client.send(.get, "/v1/channels/\(id)", tenant)
            #expect(gone == .notFound)
        }
    }

    @Test func credentialsAreSealedInTheDatabase() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let apiKey = "SG.plaintext-must-never-be-stored-\(UUID().uuidString)"
            let created = try await client.createChannel(
                tenant,
                [
                    "type": "sendgrid", "name": "Mail", "config": ["api_key": apiKey, "from_address": "news@shop.example.com"],
                ])
            let id = try #require(created["id"] as? String)
            let row = try await withTestDatabase { database in
                try await database.withTenant(UUID(uuidString: tenant.id)!, logger: TestDatabase.logger) { session in
                    let rows = try await session.connection.query(
                        "SELECT config::text, secrets, secrets_key_id FROM channels WHERE id = \(UUID(uuidString: id)!)",
                        logger: TestDatabase.logger)
                    var found: (String, [UInt8], String)?
                    for try await (config, box, keyID) in rows.decode((String, ByteBuffer, String).self) {
                        found = (config, Array(buffer: box), keyID)
                    }
                    return try #require(found)
                }
            }
            #expect(!row.0.contains(apiKey) && !row.0.contains("api_key"), "the settings column holds no credential: \(row.0)")
            #expect(row.2 == "dev")
            #expect(row.1.count > apiKey.utf8.count, "the box holds the sealed credential")
            #expect(!String(decoding: row.1, as: UTF8.self).contains("plaintext-must-never"), "the box is not plaintext")
        }
    }

    @Test func anotherTenantCannotSeeChangeTestOrDeleteTheChannel() async throws {
        try await withAPI { client in
            let owner = try await client.createTenant("Owner"), other = try await client.createTenant("Other")
            let created = try await client.createChannel(
                owner,
                [
                    "type": "mastodon", "name": "Social",
                    "config": ["base_url": "https://social.example", "access_token": "masto-secret-token"],
                ])
            let id = try #require(created["id"] as? String)
            for (method, body) in [
                (HTTPRequest.Method.get, nil), (.patch, #"{"name": "Mine"}"#), (.post, #"{"recipient": "@a@b.example"}"#),
                (.delete, nil),
            ] {
                let path = method == .post ? "/v1/channels/\(id)/test" : "/v1/channels/\(id)"
                let (status, _) = try await client.send(method, path, other, json: body)
                #expect(status == .notFound, "\(method) \(path) answered \(status) to another tenant")
            }
            let (_, list) = try await client.send(.get, "/v1/channels", other)
            #expect((list["data"] as? [Any])?.isEmpty == true)
            let (_, still) = try await client.send(.get, "/v1/channels/\(id)", owner)
            #expect(still["name"] as? String == "Social")
        }
    }

    @Test func invalidSettingsAreRefusedNamingEveryField() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let (status, problem) = try await client.send(
                .post, "/v1/channels", tenant,
                json: #"{"type": "smtp", "name": "Relay", "config": {"host": "smtp.example.com", "port": 99999, "pasword": "x"}}"#
            )
            #expect(status == .unprocessableContent)
            let fields = Set((problem["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? [])
            #expect(fields == ["config.port", "config.from_address", "config.pasword"], "\(problem)")
            let (badType, typeProblem) = try await client.send(
                .post, "/v1/channels", tenant, json: #"{"type": "fax", "name": "x", "config": {}}"#)
            #expect(badType == .unprocessableContent)
            #expect((typeProblem["errors"] as? [[String: Any]])?.first?["field"] as? String == "type")
        }
    }

    @Test func aSecondaryMustBeAnotherLiveChannelOfTheSameType() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let mail = try await client.createChannel(
                tenant,
                [
                    "type": "sendgrid", "name": "Mail", "config": ["api_key": "SG.k", "from_address": "a@shop.example.com"],
                ])
            let hook = try await client.createChannel(
                tenant,
                [
                    "type": "webhook", "name": "Hook", "config": ["url": "https://h.example.com", "secret": webhookSecret()],
                ])
            let (status, problem) = try await client.send(
                .patch, "/v1/channels/\(hook["id"] as! String)", tenant,
                json: #"{"secondary_channel_id": "\#(mail["id"] as! String)"}"#)
            #expect(status == .unprocessableContent, "\(problem)")
            let backup = try await client.createChannel(
                tenant,
                [
                    "type": "webhook", "name": "Backup hook",
                    "config": ["url": "https://b.example.com", "secret": webhookSecret()],
                ])
            let (ok, linked) = try await client.send(
                .patch, "/v1/channels/\(hook["id"] as! String)", tenant,
                json: #"{"secondary_channel_id": "\#(backup["id"] as! String)"}"#)
            #expect(ok == .ok && linked["secondary_channel_id"] as? String == backup["id"] as? String, "\(linked)")
            _ = try await client.send(.delete, "/v1/channels/\(backup["id"] as! String)", tenant)
            let (_, unlinked) = try await client.send(.get, "/v1/channels/\(hook["id"] as! String)", tenant)
            #expect(unlinked["secondary_channel_id"] is NSNull, "deleting the secondary unlinks it")
        }
    }

    @Test func onlyAdminsChangeChannels() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let (_, viewerKey) = try await client.createKey(tenant, role: "viewer")
            let response = try await client.execute(
                uri: "/v1/channels", method: .post,
                headers: [.authorization: "Bearer \(viewerKey)", .contentType: "application/json"],
                body: ByteBuffer(
                    string:
                        #"{"type": "mastodon", "name": "x", "config": {"base_url": "https://s.example", "access_token": "t"}}"#))
            try response.expectProblem(.forbidden)
        }
    }

    @Test func theTestRouteSendsASignedWebhookAndReportsTheOutcome() async throws {
        let secret = webhookSecret()
        try await withRecordingServer(
            responses: [ScriptedResponse(status: 204), ScriptedResponse(status: 400, body: "bad endpoint")], webhookSecret: secret
        ) { server in
            try await withAPI { client in
                let tenant = try await client.createTenant()
                let created = try await client.createChannel(
                    tenant,
                    [
                        "type": "webhook", "name": "Local", "config": ["url": server.baseURL + "/hook", "secret": secret],
                    ])
                let id = try #require(created["id"] as? String)
                let (status, answer) = try await client.send(.post, "/v1/channels/\(id)/test", tenant, json: "{}")
                #expect(status == .ok && answer["outcome"] as? String == "accepted", "\(answer)")
                let (_, refused) = try await client.send(
                    .post, "/v1/channels/\(id)/test", tenant, json: #"{"content": {"text": "again"}}"#)
                #expect(
                    refused["outcome"] as? String == "failed" && (refused["reason"] as? String)?.contains("bad endpoint") == true,
                    "\(refused)")

                let requests = try await server.requests(atLeast: 2)
                #expect(requests[0].verified == true, "\(requests[0].verifyError ?? "")")
                #expect(
                    requests[0].header("webhook-id") == answer["delivery_id"] as? String,
                    "the id in lower case, as the webhook-id")
                let data = requests[1].jsonObject["data"] as? [String: Any]
                #expect((data?["content"] as? [String: Any])?["text"] as? String == "again")
            }
        }
    }

    @Test func theTestRouteNeedsARecipientForChannelsThatAddressPeople() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let created = try await client.createChannel(
                tenant,
                [
                    "type": "twilio", "name": "SMS", "config": ["account_sid": "AC1", "auth_token": "t", "from": "+15005550006"],
                ])
            let (status, problem) = try await client.send(
                .post, "/v1/channels/\(created["id"] as! String)/test", tenant, json: "{}")
            #expect(status == .unprocessableContent)
            #expect((problem["errors"] as? [[String: Any]])?.first?["field"] as? String == "recipient")
        }
    }
}
