import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiRuntime

@Suite("Segment-compatible ingestion")
struct IngestionTests {
    @Test func batchLandsOnTheRightCustomersAndMessageIdsDeduplicate() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let ingest = try await client.createKey(tenant, role: "ingest")
            let basic = "Basic " + Data("\(ingest.token):".utf8).base64EncodedString()
            let batch = """
                {"batch": [
                  {"type": "track", "anonymousId": "anon-9", "event": "Viewed Product", "messageId": "b1", "properties": {"sku": "X1"}},
                  {"type": "identify", "userId": "ivy", "anonymousId": "anon-9", "traits": {"email": "ivy@example.com", "first_name": "Ivy"}, "messageId": "b2"},
                  {"type": "page", "userId": "ivy", "name": "Pricing", "messageId": "b3"},
                  {"type": "track", "userId": "ivy", "event": "Order Completed", "properties": {"total": 80}, "messageId": "b4"},
                  {"type": "track", "userId": "ivy", "event": "Order Completed", "properties": {"total": 80}, "messageId": "b4"}
                ], "sentAt": "2026-11-24T01:00:00.000Z", "context": {"library": {"name": "test"}}}
                """
            let response = try await client.execute(uri: "/v1/batch", method: .post, headers: [.authorization: basic, .contentType: "application/json"], body: ByteBuffer(string: batch))
            #expect(response.status == .ok)
            let json = try response.json()
            #expect(json["stored"] as? Int == 4)
            #expect(json["duplicates"] as? Int == 1)
            let skipped = try #require(json["skipped"] as? [[String: Any]])
            #expect(skipped.map { $0["index"] as? Int } == [4], "the repeated messageId is reported per message")
            #expect(skipped.first?["message_id"] as? String == "b4")
            let replay = try await client.execute(uri: "/v1/batch", method: .post, headers: [.authorization: basic, .contentType: "application/json"], body: ByteBuffer(string: batch))
            #expect(try replay.json()["stored"] as? Int == 0)
            #expect(try replay.json()["duplicates"] as? Int == 5)

            let (_, found) = try await client.send(.get, "/v1/customers?identity=email:ivy@example.com", tenant)
            let customer = try #require((found["data"] as? [[String: Any]])?.first)
            #expect((customer["attributes"] as? [String: Any])?["first_name"] as? String == "Ivy")
            let id = try #require(customer["id"] as? String)
            let events = try await client.timeline(tenant, id, query: "&kind=event")
            #expect(Set(events.titles("event")) == ["Viewed Product", "Identify", "Viewed Pricing Page", "Order Completed"])
            #expect(events.titles("event").filter { $0 == "Order Completed" }.count == 1)
            let page = try #require(events.first { $0["title"] as? String == "Viewed Pricing Page" })
            #expect(page["channel"] as? String == "web")
            #expect(((page["detail"] as? [String: Any])?["context"] as? [String: Any])?["library"] != nil, "batch context is kept")
        }
    }

    /// The usual first batch of new users: an identify with traits, then tracks, interleaved
    /// between users. The tracks write no profile of their own (they follow the identify's
    /// identities), yet each lands on its user, as do the traits.
    @Test func newUsersIdentifyThenTrackInOneBatchMakeOneCustomerEach() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let users = (0..<5).map { "newbie-\($0)" }
            var messages: [String] = users.map { #"{"type": "identify", "userId": "\#($0)", "anonymousId": "anon-\#($0)", "traits": {"first_name": "N\#($0)"}, "messageId": "\#($0)-i"}"# }
            for round in 0..<3 {
                messages += users.map { #"{"type": "track", "userId": "\#($0)", "event": "Step \#(round)", "messageId": "\#($0)-\#(round)"}"# }
                messages += users.map { #"{"type": "page", "anonymousId": "anon-\#($0)", "name": "P\#(round)", "messageId": "\#($0)-p\#(round)"}"# }
            }
            let (status, answer) = try await client.ingest(tenant, "/v1/batch", #"{"batch": [\#(messages.joined(separator: ","))]}"#)
            #expect(status == .ok)
            #expect(answer["stored"] as? Int == messages.count)
            for user in users {
                let (_, found) = try await client.send(.get, "/v1/customers?identity=anonymous_id:anon-\(user)", tenant)
                let customer = try #require((found["data"] as? [[String: Any]])?.first)
                #expect((customer["attributes"] as? [String: Any])?["first_name"] as? String == "N\(user)")
                let identities = (customer["identities"] as? [[String: Any]] ?? []).compactMap { $0["value"] as? String }
                #expect(Set(identities) == [user, "anon-\(user)"])
                let id = try #require(customer["id"] as? String)
                let titles = try await client.timeline(tenant, id, query: "&kind=event").titles("event")
                #expect(titles.count == 7, "\(user): the identify, three tracks and three pages")
                #expect(Set(titles).isSuperset(of: ["Identify", "Step 0", "Step 1", "Step 2"]))
            }
        }
    }

    @Test func aReplayedBatchWritesNothingToProfiles() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let ingest = try await client.createKey(tenant, role: "ingest")
            let headers: HTTPFields = [.authorization: "Bearer \(ingest.token)", .contentType: "application/json"]
            let batch = """
                {"batch": [
                  {"type": "identify", "userId": "rex", "traits": {"first_name": "Rex"}, "messageId": "r1"},
                  {"type": "track", "userId": "rex", "event": "Signed Up", "messageId": "r2"}
                ]}
                """
            let first = try await client.execute(uri: "/v1/batch", method: .post, headers: headers, body: ByteBuffer(string: batch))
            #expect(try first.json()["stored"] as? Int == 2)
            let (_, found) = try await client.send(.get, "/v1/customers?identity=external_id:rex", tenant)
            let id = try #require((found["data"] as? [[String: Any]])?.first?["id"] as? String)
            let (status, _) = try await client.send(.patch, "/v1/customers/\(id)", tenant, json: #"{"attributes": {"first_name": "Changed"}}"#)
            #expect(status == .ok)

            // Both messages are replays: the identify must not write its traits again, the track
            // (whose customer is known, so it writes no profile) must not add an event.
            let replay = try await client.execute(uri: "/v1/batch", method: .post, headers: headers, body: ByteBuffer(string: batch))
            let json = try replay.json()
            #expect(json["stored"] as? Int == 0)
            #expect(json["duplicates"] as? Int == 2)
            let (_, customer) = try await client.send(.get, "/v1/customers/\(id)", tenant)
            #expect((customer["attributes"] as? [String: Any])?["first_name"] as? String == "Changed")
            let events = try await client.timeline(tenant, id, query: "&kind=event")
            #expect(events.titles("event").sorted() == ["Identify", "Signed Up"])
        }
    }

    @Test func ingestKeysOnlyIngestAndOtherKeysCannotBeSentAsBasicElsewhere() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let ingest = try await client.createKey(tenant, role: "ingest")
            let basic = "Basic " + Data("\(ingest.token):".utf8).base64EncodedString()
            let ok = try await client.execute(uri: "/v1/track", method: .post, headers: [.authorization: "Bearer \(ingest.token)", .contentType: "application/json"],
                                              body: ByteBuffer(string: #"{"userId": "u", "event": "E"}"#))
            #expect(ok.status == .ok)
            try await client.execute(uri: "/v1/customers?identity=external_id:u", method: .get, headers: [.authorization: "Bearer \(ingest.token)"]) { try $0.expectProblem(.forbidden) }
            try await client.execute(uri: "/v1/api-keys", method: .get, headers: [.authorization: basic]) { try $0.expectProblem(.unauthorized) }
        }
    }

    @Test func badIngestionInputGetsProblemsAndStoresNothing() async throws {
        try await withAPI(maxBodyBytes: 1 << 20) { client in
            let tenant = try await client.createTenant()
            let cases: [(String, String, HTTPResponse.Status)] = [
                ("/v1/track", #"{"userId": "u", "properties": {}}"#, .unprocessableContent),
                ("/v1/track", #"{"event": "E"}"#, .unprocessableContent),
                ("/v1/identify", #"{"userId": "u", "traits": {"email": "not-an-email"}}"#, .unprocessableContent),
                ("/v1/identify", #"{"userId": "u", "traits": {"phone": "12"}}"#, .unprocessableContent),
                ("/v1/track", #"{"userId": "u", "event": "E", "timestamp": "last tuesday"}"#, .unprocessableContent),
                ("/v1/batch", #"{"batch": [{"type": "track", "userId": "u", "event": "ok", "messageId": "keep-out"}, {"type": "explode"}]}"#, .unprocessableContent),
                ("/v1/batch", #"{"nope": []}"#, .unprocessableContent),
                ("/v1/track", "{not json", .badRequest),
                ("/v1/track", #"{"userId": "u", "event": "\#(String(repeating: "x", count: 40_000))"}"#, .contentTooLarge),
                ("/v1/batch", #"{"batch": [\#(Array(repeating: #"{"type": "track", "userId": "u", "event": "\#(String(repeating: "y", count: 1000))"}"#, count: 600).joined(separator: ","))]}"#, .contentTooLarge),
            ]
            for (path, body, expected) in cases {
                let response = try await client.execute(uri: path, method: .post, headers: tenant.admin.with(.contentType, "application/json"), body: ByteBuffer(string: body))
                try response.expectProblem(expected)
            }
            let invalidUTF8 = try await client.execute(uri: "/v1/track", method: .post, headers: tenant.admin.with(.contentType, "application/json"),
                                                       body: ByteBuffer(bytes: Array(#"{"userId": "u", "event": ""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)))
            try invalidUTF8.expectProblem(.badRequest)
            let (_, lookup) = try await client.send(.get, "/v1/customers?identity=external_id:u", tenant)
            #expect((lookup["data"] as? [Any])?.isEmpty == true, "nothing of a refused request is stored")
        }
    }

    /// Messages are checked before their transaction opens, without the tenant's default
    /// country; a national phone number fails that check and must pass the second one, made
    /// inside with the country, rather than be refused.
    @Test func aNationalPhoneTraitUsesTheTenantsDefaultCountry() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let (status, _) = try await client.send(.patch, "/v1/tenant", tenant, json: #"{"default_country": "FR"}"#)
            #expect(status == .ok)
            let (stored, answer) = try await client.ingest(
                tenant, "/v1/batch",
                #"{"batch": [{"type": "identify", "userId": "national", "traits": {"phone": "06 12 34 56 78"}, "messageId": "n-1"}]}"#)
            #expect(stored == .ok, "\(answer)")
            let (_, found) = try await client.send(.get, "/v1/customers?identity=phone:%2B33612345678", tenant)
            let customers = try #require(found["data"] as? [[String: Any]])
            #expect(customers.count == 1)
            let identities = customers.first?["identities"] as? [[String: Any]] ?? []
            #expect(identities.contains { $0["type"] as? String == "external_id" && $0["value"] as? String == "national" })

            let (refused, _) = try await client.ingest(
                tenant, "/v1/batch", #"{"batch": [{"type": "identify", "userId": "short", "traits": {"phone": "12"}, "messageId": "n-2"}]}"#)
            #expect(refused == .unprocessableContent, "a number wrong in every country is still refused")
        }
    }

    @Test func socialMentionCreatesAnAnonymousSocialProfileThenFindsIt() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let body = #"{"network": "mastodon", "handle": "@Zoe@Mastodon.Social", "text": "Love the new app", "url": "https://mastodon.social/@zoe/1", "time": "2026-11-20T10:00:00Z", "sentiment": 0.9}"#
            let (first, answer) = try await client.send(.post, "/v1/social/mentions", tenant, json: body)
            #expect(first == .created)
            #expect(answer["created_customer"] as? Bool == true)
            let (_, second) = try await client.send(.post, "/v1/social/mentions", tenant, json: body)
            #expect(second["created_customer"] as? Bool == false)
            #expect(second["customer_id"] as? String == answer["customer_id"] as? String)
            let id = try #require(answer["customer_id"] as? String)
            let mention = try #require(try await client.timeline(tenant, id).first)
            #expect(mention["title"] as? String == "Social Mention")
            #expect(mention["channel"] as? String == "social")
            let (bad, _) = try await client.send(.post, "/v1/social/mentions", tenant, json: #"{"network": "myspace", "handle": "x", "text": "hi"}"#)
            #expect(bad == .unprocessableContent)
        }
    }
}
