import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiRuntime

/// `GET/PUT /v1/contact-policy`, the tenant's `time_zone` and `transactional` messages.
@Suite("Contact policy routes")
struct ContactPolicyRouteTests {
    static let example = #"""
        {"caps": [{"channels": "all", "max": 3, "per": "7 days"}, {"channels": ["sms"], "max": 1, "per": "1 day"}],
         "quiet_hours": {"start": "21:00", "end": "08:00", "channels": ["sms", "email"], "action": "defer"}}
        """#

    @Test func aTenantStartsWithoutAPolicyAndGetsBackThePolicyItPuts() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let (status, empty) = try await client.send(.get, "/v1/contact-policy", tenant)
            #expect(status == .ok)
            #expect((empty["caps"] as? [Any])?.isEmpty == true && empty["quiet_hours"] is NSNull && empty["updated_at"] is NSNull)

            let (put, stored) = try await client.send(.put, "/v1/contact-policy", tenant, json: Self.example)
            #expect(put == .ok, "\(stored)")
            #expect(stored["updated_at"] is String)
            let (_, read) = try await client.send(.get, "/v1/contact-policy", tenant)
            let caps = try #require(read["caps"] as? [[String: Any]])
            #expect(caps.count == 2)
            #expect(
                caps[0]["channels"] as? String == "all" && caps[0]["max"] as? Int == 3 && caps[0]["per"] as? String == "7 days")
            #expect(caps[1]["channels"] as? [String] == ["sms"])
            let quiet = try #require(read["quiet_hours"] as? [String: Any])
            #expect(quiet["start"] as? String == "21:00" && quiet["end"] as? String == "08:00")
            #expect(quiet["channels"] as? [String] == ["sms", "email"] && quiet["action"] as? String == "defer")

            // An empty policy is no policy.
            let (cleared, none) = try await client.send(.put, "/v1/contact-policy", tenant, json: #"{"caps": []}"#)
            #expect(cleared == .ok && none["updated_at"] is NSNull && none["quiet_hours"] is NSNull)
        }
    }

    @Test func badPoliciesAreRefusedNamingEachField() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let cases: [(String, [String])] = [
                (#"{"caps": [{"channels": "all", "max": 0, "per": "1 day"}]}"#, ["caps[0].max"]),
                (#"{"caps": [{"channels": ["fax"], "max": 1, "per": "1 fortnight"}]}"#, ["caps[0].channels", "caps[0].per"]),
                (
                    #"{"quiet_hours": {"start": "9pm", "end": "08:00", "action": "later"}}"#,
                    ["quiet_hours.start", "quiet_hours.action"]
                ),
                (#"{"caps": [], "limits": 3}"#, ["limits"]),
            ]
            for (body, fields) in cases {
                let response = try await client.execute(
                    uri: "/v1/contact-policy", method: .put, headers: tenant.admin.with(.contentType, "application/json"),
                    body: ByteBuffer(string: body))
                let problem = try response.expectProblem(.unprocessableContent)
                #expect((problem["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } == fields, "\(body)")
            }
            let malformed = try await client.execute(
                uri: "/v1/contact-policy", method: .put, headers: tenant.admin.with(.contentType, "application/json"),
                body: ByteBuffer(string: #"{"caps": ["#))
            try malformed.expectProblem(.badRequest)
            let reader = try await client.createKey(tenant, role: "viewer")
            let forbidden = try await client.execute(
                uri: "/v1/contact-policy", method: .put,
                headers: [.authorization: "Bearer \(reader.token)", .contentType: "application/json"],
                body: ByteBuffer(string: "{}"))
            try forbidden.expectProblem(.forbidden)
            // Nothing of the refused bodies was stored.
            let (_, read) = try await client.send(.get, "/v1/contact-policy", tenant)
            #expect(read["updated_at"] is NSNull)
        }
    }

    @Test func theTenantHasADefaultTimeZoneThatOnlyAKnownIANANameReplaces() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let (_, initial) = try await client.send(.get, "/v1/tenant", tenant)
            #expect(initial["time_zone"] as? String == "UTC")
            let (patched, changed) = try await client.send(.patch, "/v1/tenant", tenant, json: #"{"time_zone": "Europe/Berlin"}"#)
            #expect(patched == .ok && changed["time_zone"] as? String == "Europe/Berlin")
            for bad in [#""Mars/Olympus_Mons""#, #""""#, "null", "3", #""europe/berlin ""#] {
                let response = try await client.execute(
                    uri: "/v1/tenant", method: .patch, headers: tenant.admin.with(.contentType, "application/json"),
                    body: ByteBuffer(string: #"{"time_zone": \#(bad)}"#))
                let problem = try response.expectProblem(.unprocessableContent)
                #expect((problem["errors"] as? [[String: Any]])?.first?["field"] as? String == "time_zone", "\(bad)")
            }
            let (_, kept) = try await client.send(.get, "/v1/tenant", tenant)
            #expect(kept["time_zone"] as? String == "Europe/Berlin")
        }
    }

    @Test func aTransactionalMessageSaysSoAndOthersDoNot() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let hook: [String: Any] = [
                "type": "webhook", "name": "Hooks",
                "config": ["url": "https://hooks.example.com/t", "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
            ]
            let channel = try #require(try await client.createChannel(tenant, hook)["id"] as? String)
            let customer = try await client.customer(tenant, identities: [("email", "ann@example.com")])
            let (status, receipt) = try await client.send(
                .post, "/v1/messages", tenant,
                json:
                    #"{"customer_id": "\#(customer)", "channel_id": "\#(channel)", "content": {"text": "Your receipt"}, "transactional": true}"#
            )
            #expect(status == .accepted && receipt["transactional"] as? Bool == true, "\(receipt)")
            let (_, shown) = try await client.send(.get, "/v1/messages/\(try #require(receipt["id"] as? String))", tenant)
            #expect(shown["transactional"] as? Bool == true)
            let (_, plain) = try await client.send(
                .post, "/v1/messages", tenant,
                json: #"{"customer_id": "\#(customer)", "channel_id": "\#(channel)", "content": {"text": "News"}}"#)
            #expect(plain["transactional"] as? Bool == false)
            for bad in [#""yes""#, "null"] {
                let response = try await client.execute(
                    uri: "/v1/messages", method: .post, headers: tenant.admin.with(.contentType, "application/json"),
                    body: ByteBuffer(
                        string:
                            #"{"customer_id": "\#(customer)", "channel_id": "\#(channel)", "content": {"text": "x"}, "transactional": \#(bad)}"#
                    ))
                try response.expectProblem(.unprocessableContent)
            }
        }
    }

    @Test func tenantBsKeyNeitherReadsNorChangesTenantAsPolicy() async throws {
        try await withAPI { client in
            let a = try await client.createTenant("A")
            let b = try await client.createTenant("B")
            let (put, _) = try await client.send(.put, "/v1/contact-policy", a, json: Self.example)
            #expect(put == .ok)
            let (_, seenByB) = try await client.send(.get, "/v1/contact-policy", b)
            #expect((seenByB["caps"] as? [Any])?.isEmpty == true && seenByB["updated_at"] is NSNull)
            let (cleared, _) = try await client.send(.put, "/v1/contact-policy", b, json: #"{"caps": []}"#)
            #expect(cleared == .ok)
            let (_, stillA) = try await client.send(.get, "/v1/contact-policy", a)
            #expect((stillA["caps"] as? [Any])?.count == 2)
            let (_, zoneB) = try await client.send(.patch, "/v1/tenant", b, json: #"{"time_zone": "Asia/Kathmandu"}"#)
            #expect(zoneB["time_zone"] as? String == "Asia/Kathmandu")
            let (_, zoneA) = try await client.send(.get, "/v1/tenant", a)
            #expect(zoneA["time_zone"] as? String == "UTC")
        }
    }
}
