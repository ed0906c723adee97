import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiRuntime

@Suite("Offer arbitration route")
struct OfferArbitrationRouteTests {
    static func arbitrate(
        _ client: any TestClientProtocol, _ tenant: CreatedTenant, _ customer: String, channel: String, limit: Int
    )
        async throws -> [String: Any]
    {
        let (status, body) = try await client.send(
            .post, "/v1/offers/arbitrate", tenant,
            json: #"{"customer_id": "\#(customer)", "channel": "\#(channel)", "limit": \#(limit)}"#)
        try #require(status == .ok, "arbitrate answered \(status): \(body)")
        return body
    }

    @Test func goldCustomersGetTheGoldOfferFirstAndEveryOtherOfferSaysWhy() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let gold = try await client.offer(
                tenant,
                #"{"code": "GOLD", "name": "Gold", "priority": 90, "eligibility": "attributes.plan = \"gold\"", "creative": {"email": {"headline": "Gold"}}}"#
            )
            let everyone = try await client.offer(
                tenant,
                #"{"code": "ALL", "name": "All", "priority": 40, "value": 9, "creative": {"email": {"headline": "All"}, "sms": {"text": "All"}}}"#
            )
            let smsOnly = try await client.offer(tenant, #"{"code": "SMS", "name": "SMS", "creative": {"sms": {"text": "x"}}}"#)
            let later = try await client.offer(
                tenant,
                #"{"code": "LATER", "name": "Later", "starts_at": "2099-01-01T00:00:00Z", "creative": {"email": {"h": "x"}}}"#)
            let pooled = try await client.offer(
                tenant, #"{"code": "POOL", "name": "Pool", "priority": 10, "creative": {"email": {"h": "x"}}}"#)
            _ = try await client.uploadCodes(tenant, pooled, "P-1\n")
            let goldCustomer = try await client.customer(
                tenant, identities: [("email", "g@example.com")], attributes: #"{"plan": "gold"}"#)
            let basic = try await client.customer(
                tenant, identities: [("email", "b@example.com")], attributes: #"{"plan": "basic"}"#)

            let forGold = try await Self.arbitrate(client, tenant, goldCustomer, channel: "email", limit: 2)
            let chosen = try #require(forGold["offers"] as? [[String: Any]])
            #expect(chosen.compactMap { $0["offer_id"] as? String } == [gold, everyone])
            #expect(chosen.first?["score"] as? Double == 90)
            #expect(chosen.first?["rank"] as? Int == 1)
            #expect(chosen.allSatisfy { $0["code"] is NSNull }, "a dry run reserves no code")
            #expect((chosen.first?["reason"] as? String)?.contains("priority 90") == true)
            let excluded = Dictionary(
                uniqueKeysWithValues: (forGold["excluded"] as? [[String: Any]] ?? []).compactMap { entry in
                    (entry["offer_id"] as? String).map { ($0, entry["reason"] as? String ?? "") }
                })
            #expect(excluded == [smsOnly: "no_creative_for_channel", later: "not_started", pooled: "outranked"])

            let forBasic = try await Self.arbitrate(client, tenant, basic, channel: "email", limit: 5)
            #expect((forBasic["offers"] as? [[String: Any]])?.compactMap { $0["offer_id"] as? String } == [everyone, pooled])
            #expect(
                (forBasic["excluded"] as? [[String: Any]])?.contains {
                    $0["offer_id"] as? String == gold && $0["reason"] as? String == "not_eligible"
                } == true)

            // Nothing was given: the pool is whole and no offer counts a grant.
            let (_, pool) = try await client.send(.get, "/v1/offers/\(pooled)", tenant)
            #expect(pool["codes"] as? [String: Int] == ["total": 1, "assigned": 0, "left": 1] && pool["given"] as? Int == 0)
        }
    }

    @Test func badArbitrationRequestsAre422AndUnknownCustomers404() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let customer = try await client.customer(tenant, identities: [("email", "c@example.com")])
            for (json, field) in [
                (#"{"customer_id": "\#(customer)", "channel": "fax"}"#, "channel"),
                (#"{"customer_id": "x", "channel": "email"}"#, "customer_id"),
                (#"{"customer_id": "\#(customer)", "channel": "email", "limit": 0}"#, "limit"),
                (#"{"customer_id": "\#(customer)", "channel": "email", "limit": 101}"#, "limit"),
                (#"{"customer_id": "\#(customer)", "channel": "email", "extra": 1}"#, "extra"),
            ] {
                let (status, problem) = try await client.send(.post, "/v1/offers/arbitrate", tenant, json: json)
                #expect(status == .unprocessableContent, "\(json)")
                #expect((problem["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } == [field], "\(json)")
            }
            let (missing, _) = try await client.send(
                .post, "/v1/offers/arbitrate", tenant, json: #"{"customer_id": "\#(UUID().uuidString)", "channel": "email"}"#)
            #expect(missing == .notFound)
        }
    }

    @Test func tenantBCannotReadChangeDeleteFillOrArbitrateTenantAsOffers() async throws {
        try await withAPI { client in
            let a = try await client.createTenant("A")
            let b = try await client.createTenant("B")
            let offer = try await client.offer(a, #"{"code": "MINE", "name": "A's", "creative": {"email": {"h": "x"}}}"#)
            let aCustomer = try await client.customer(a, identities: [("email", "a@example.com")])

            #expect(try await client.send(.get, "/v1/offers/\(offer)", b).0 == .notFound)
            #expect(try await client.send(.patch, "/v1/offers/\(offer)", b, json: #"{"name": "Mine now"}"#).0 == .notFound)
            #expect(try await client.send(.delete, "/v1/offers/\(offer)", b).0 == .notFound)
            #expect(try await client.uploadCodes(b, offer, "STOLEN\n").0 == .notFound)
            let (_, list) = try await client.send(.get, "/v1/offers", b)
            #expect((list["data"] as? [Any])?.isEmpty == true)
            let (arbitrated, _) = try await client.send(
                .post, "/v1/offers/arbitrate", b, json: #"{"customer_id": "\#(aCustomer)", "channel": "email"}"#)
            #expect(arbitrated == .notFound, "B cannot arbitrate for A's customer")
            let bCustomer = try await client.customer(b, identities: [("email", "b@example.com")])
            let forB = try await OfferArbitrationRouteTests.arbitrate(client, b, bCustomer, channel: "email", limit: 5)
            #expect(
                (forB["offers"] as? [Any])?.isEmpty == true && (forB["excluded"] as? [Any])?.isEmpty == true,
                "A's offers are not B's")

            let (_, still) = try await client.send(.get, "/v1/offers/\(offer)", a)
            #expect(still["name"] as? String == "A's" && (still["codes"] as? [String: Int])?["total"] == 0)
        }
    }
}
