import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Decision routes")
struct DecisionRouteTests {
    /// The tenant of most tests: a gold offer for gold customers, a generic one for everyone,
    /// a `home_hero` web placement showing one.
    struct Shop {
        var tenant: CreatedTenant
        var gold: String
        var generic: String
        var ann: String
    }

    static func shop(_ client: any TestClientProtocol) async throws -> Shop {
        let tenant = try await client.createTenant()
        let gold = try await client.offer(
            tenant,
            #"{"code": "GOLD20", "name": "Gold", "priority": 90, "eligibility": "attributes.tier = \"gold\"", "creative": {"web": {"headline": "{{customer.attributes.first_name}}, 20% off with {{offer.code}}"}, "email": {"headline": "x"}}}"#
        )
        let generic = try await client.offer(
            tenant, #"{"code": "WELCOME", "name": "Welcome", "priority": 10, "creative": {"web": {"headline": "Welcome!"}}}"#)
        _ = try await client.placement(tenant, #"{"name": "home_hero", "channel": "web", "limit": 1}"#)
        let ann = try await client.customer(
            tenant, identities: [("email", "ann@example.com")], attributes: #"{"tier": "gold", "first_name": "Ann"}"#)
        return Shop(tenant: tenant, gold: gold, generic: generic, ann: ann)
    }

    @Test func goldCustomerGetsTheGoldOfferAVisitorTheGenericOneAndTheImpressionIsOnTheTimeline() async throws {
        try await withAPI { client in
            let shop = try await Self.shop(client)
            let forAnn = try await client.decide(
                shop.tenant, #"{"customer": {"customer_id": "\#(shop.ann)"}, "channel": "web", "placement": "home_hero"}"#)
            #expect(forAnn.offerIDs == [shop.gold])
            #expect(forAnn["customer_id"] as? String == shop.ann)
            let offer = try #require((forAnn["offers"] as? [[String: Any]])?.first)
            #expect(offer["code"] as? String == "GOLD20")
            #expect(offer["score"] as? Double == 90)
            #expect((offer["reason"] as? String)?.contains("priority 90") == true)
            #expect(offer["content"] as? [String: String] == ["headline": "Ann, 20% off with GOLD20"])
            let decisionID = try #require(forAnn["decision_id"] as? String)

            // The same customer by identity; a visitor nobody knows gets the generic offer, never an error.
            let byIdentity = try await client.decide(
                shop.tenant, #"{"customer": {"identity": "email:ann@example.com"}, "channel": "web", "placement": "home_hero"}"#)
            #expect(byIdentity.offerIDs == [shop.gold])
            for customer in [#"{"anonymous_id": "visitor-1"}"#, #"{"identity": "email:nobody@example.com"}"#] {
                let visitor = try await client.decide(
                    shop.tenant, #"{"customer": \#(customer), "channel": "web", "placement": "home_hero", "limit": 3}"#)
                #expect(visitor.offerIDs == [shop.generic])
                #expect(visitor["customer_id"] is NSNull)
                #expect(
                    (visitor["offers"] as? [[String: Any]])?.first?["content"] as? [String: String] == ["headline": "Welcome!"])
            }

            // The impression reaches Ann's timeline shortly after the answer, and counts as given.
            try await client.eventually("the impression is on the timeline") {
                try await client.timeline(shop.tenant, shop.ann).contains {
                    $0["title"] as? String == "Offer Shown"
                        && (($0["detail"] as? [String: Any])?["properties"] as? [String: Any])?["decision_id"] as? String
                            == decisionID
                }
            }
            try await client.eventually("both impressions count") {
                let (_, gold) = try await client.send(.get, "/v1/offers/\(shop.gold)", shop.tenant)
                return gold["given"] as? Int == 2
            }
            try await client.eventually("the visitors' impressions count toward total_cap") {
                let (_, generic) = try await client.send(.get, "/v1/offers/\(shop.generic)", shop.tenant)
                return generic["given"] as? Int == 2
            }
        }
    }

    @Test func rulesReadTheRequestContextAndAVisitorIsDecidedOnContextAlone() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let cart = try await client.offer(
                tenant,
                #"{"code": "SHIPFREE", "name": "Free shipping", "priority": 80, "eligibility": "context.cart_total > 50 and context.page = \"cart\"", "creative": {"web": {"text": "Free shipping on your {{context.cart_total}} cart"}}}"#
            )
            let everyone = try await client.offer(
                tenant, #"{"code": "ALL", "name": "All", "priority": 5, "creative": {"web": {"text": "Hi"}}}"#)
            _ = try await client.placement(tenant, #"{"name": "cart_banner", "channel": "web", "limit": 1}"#)
            let big = try await client.decide(
                tenant,
                #"{"customer": {"anonymous_id": "v"}, "channel": "web", "placement": "cart_banner", "context": {"cart_total": 75, "page": "cart"}}"#
            )
            #expect(big.offerIDs == [cart])
            #expect(
                (big["offers"] as? [[String: Any]])?.first?["content"] as? [String: String] == [
                    "text": "Free shipping on your 75 cart"
                ])
            for context in [
                #"{"cart_total": 20, "page": "cart"}"#, #"{"cart_total": 75, "page": "home"}"#, #"{"cart_total": "75"}"#, "null",
            ] {
                let small = try await client.decide(
                    tenant,
                    #"{"customer": {"anonymous_id": "v"}, "channel": "web", "placement": "cart_banner", "context": \#(context)}"#)
                #expect(small.offerIDs == [everyone], "context \(context)")
            }

            // Where no request context exists, `context.` is a checker error naming why.
            let (status, problem) = try await client.send(
                .post, "/v1/segments", tenant, json: #"{"name": "carts", "rule": "context.cart_total > 50"}"#)
            #expect(status == .unprocessableContent)
            #expect((problem["detail"] as? String)?.contains("only readable in an offer's eligibility rule") == true)
            let (jsonStatus, _) = try await client.send(
                .post, "/v1/segments", tenant,
                json: #"{"name": "carts", "rule": {"context": {"_0": {"path": ["page"], "test": {"exists": {}}}}}}"#)
            #expect(jsonStatus == .unprocessableContent)
            // A context test is type-checked like any other.
            let (badStatus, bad) = try await client.send(
                .post, "/v1/offers", tenant,
                json:
                    #"{"code": "BAD", "name": "Bad", "eligibility": "context.cart_total > true", "creative": {"web": {"t": "x"}}}"#
            )
            #expect(badStatus == .unprocessableContent)
            #expect((bad["errors"] as? [[String: Any]])?.first?["field"] as? String == "eligibility")
        }
    }

    @Test func anOfferDeclinedTooOftenIsNotOfferedAgain() async throws {
        try await withAPI { client in
            let shop = try await Self.shop(client)
            let (putStatus, settings) = try await client.send(
                .put, "/v1/decision-settings", shop.tenant, json: #"{"decline_limit": 2, "decline_suppression_days": 30}"#)
            #expect(putStatus == .ok && settings["decline_limit"] as? Int == 2)
            let request = #"{"customer": {"customer_id": "\#(shop.ann)"}, "channel": "web", "placement": "home_hero"}"#
            for round in 1...2 {
                let decision = try await client.decide(shop.tenant, request)
                #expect(decision.offerIDs == [shop.gold], "round \(round)")
                let id = try #require(decision["decision_id"] as? String)
                let (status, body) = try await client.send(
                    .post, "/v1/decisions/\(id)/responses", shop.tenant,
                    json: #"{"offer_id": "\#(shop.gold)", "response": "declined"}"#)
                #expect(status == .created, "\(body)")
                #expect(body["customer_id"] as? String == shop.ann)
                let (again, repeated) = try await client.send(
                    .post, "/v1/decisions/\(id)/responses", shop.tenant,
                    json: #"{"offer_id": "\#(shop.gold)", "response": "declined"}"#)
                #expect(again == .ok && repeated["repeated"] as? Bool == true, "a repeated response counts once")
            }
            #expect(try await client.decide(shop.tenant, request).offerIDs == [shop.generic])
            #expect(try await client.timeline(shop.tenant, shop.ann).titles("event").filter { $0 == "Offer Declined" }.count == 2)

            // Another tenant setting: three declines needed, so the gold offer is back.
            _ = try await client.send(
                .put, "/v1/decision-settings", shop.tenant, json: #"{"decline_limit": 3, "decline_suppression_days": 30}"#)
            #expect(try await client.decide(shop.tenant, request).offerIDs == [shop.gold])
        }
    }

    @Test func aPooledOfferGivesItsCodeWhenShownAndOnlyToAKnownCustomer() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let pooled = try await client.offer(
                tenant,
                #"{"code": "POOL", "name": "Pool", "priority": 90, "creative": {"app": {"text": "Your code: {{offer.code}}"}}}"#)
            let plain = try await client.offer(
                tenant, #"{"code": "PLAIN", "name": "Plain", "priority": 10, "creative": {"app": {"text": "x"}}}"#)
            _ = try await client.uploadCodes(tenant, pooled, "CODE-1\nCODE-2\n")
            _ = try await client.placement(tenant, #"{"name": "app_home", "channel": "app", "limit": 2}"#)
            let bob = try await client.customer(tenant, identities: [("email", "bob@example.com")])
            let request = #"{"customer": {"customer_id": "\#(bob)"}, "channel": "app", "placement": "app_home"}"#
            let first = try await client.decide(tenant, request)
            #expect(first.offerIDs == [pooled, plain])
            let shown = try #require((first["offers"] as? [[String: Any]])?.first)
            #expect(shown["code"] as? String == "CODE-1")
            #expect(shown["content"] as? [String: String] == ["text": "Your code: CODE-1"])
            // Given once: not shown again to Bob; a visitor never gets a pooled offer.
            #expect(try await client.decide(tenant, request).offerIDs == [plain])
            let visitor = try await client.decide(
                tenant, #"{"customer": {"anonymous_id": "a"}, "channel": "app", "placement": "app_home"}"#)
            #expect(visitor.offerIDs == [plain])
            let (_, pool) = try await client.send(.get, "/v1/offers/\(pooled)", tenant)
            #expect(pool["codes"] as? [String: Int] == ["total": 2, "assigned": 1, "left": 1])
        }
    }

    @Test func impressionsCountTowardPerCustomerLimitsAndOptOutsSilenceDecisions() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let once = try await client.offer(
                tenant,
                #"{"code": "ONCE", "name": "Once", "priority": 90, "per_customer_limit": 1, "creative": {"web": {"t": "x"}}}"#)
            let fallback = try await client.offer(tenant, #"{"code": "FB", "name": "Fallback", "creative": {"web": {"t": "y"}}}"#)
            _ = try await client.placement(
                tenant, #"{"name": "hero", "channel": "web", "offer_ids": ["\#(once)"], "fallback_offer_id": "\#(fallback)"}"#)
            let cid = try await client.customer(tenant, identities: [("email", "c@example.com")])
            let request = #"{"customer": {"customer_id": "\#(cid)"}, "channel": "web", "placement": "hero"}"#
            let first = try await client.decide(tenant, request)
            #expect(first.offerIDs == [once])
            try await client.eventually("the impression counts") {
                let (_, offer) = try await client.send(.get, "/v1/offers/\(once)", tenant)
                return offer["given"] as? Int == 1
            }
            let second = try await client.decide(tenant, request)
            #expect(second.offerIDs == [fallback])
            #expect(((second["offers"] as? [[String: Any]])?.first?["reason"] as? String)?.hasPrefix("fallback") == true)

            let (consent, _) = try await client.send(
                .put, "/v1/customers/\(cid)/consents/web", tenant, json: #"{"status": "opted_out", "source": "test"}"#)
            try #require(consent == .ok || consent == .created)
            let optedOut = try await client.decide(tenant, request)
            #expect(optedOut.offerIDs.isEmpty)
        }
    }
}
