import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Placement routes")
struct PlacementRouteTests {
    @Test func placementsAreCreatedReadPatchedListedAndDeleted() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let offer = try await client.offer(tenant, #"{"code": "A", "name": "A", "creative": {"web": {"t": "x"}}}"#)
            let (status, created) = try await client.send(
                .post, "/v1/placements", tenant,
                json:
                    #"{"name": "home_hero", "channel": "web", "offer_ids": ["\#(offer)"], "limit": 2, "fallback_offer_id": "\#(offer)"}"#
            )
            #expect(status == .created)
            let id = try #require(created["id"] as? String)
            #expect(created["offer_ids"] as? [String] == [offer] && created["limit"] as? Int == 2)
            #expect(created["fallback_offer_id"] as? String == offer && created["channel"] as? String == "web")

            let (_, read) = try await client.send(.get, "/v1/placements/\(id)", tenant)
            #expect(read["name"] as? String == "home_hero")
            let (patchStatus, patched) = try await client.send(
                .patch, "/v1/placements/\(id)", tenant, json: #"{"offer_ids": null, "limit": 3}"#)
            #expect(patchStatus == .ok)
            #expect(patched["offer_ids"] is NSNull && patched["limit"] as? Int == 3 && patched["name"] as? String == "home_hero")

            let (duplicate, problem) = try await client.send(
                .post, "/v1/placements", tenant, json: #"{"name": "HOME_HERO", "channel": "app"}"#)
            #expect(duplicate == .conflict, "\(problem)")
            let other = try await client.placement(tenant, #"{"name": "footer", "channel": "web"}"#)
            let (renameStatus, _) = try await client.send(
                .patch, "/v1/placements/\(other)", tenant, json: #"{"name": "Home_Hero"}"#)
            #expect(renameStatus == .conflict)

            let (_, list) = try await client.send(.get, "/v1/placements?limit=1", tenant)
            #expect((list["data"] as? [[String: Any]])?.count == 1 && list["next_cursor"] is String)

            let (deleted, _) = try await client.send(.delete, "/v1/placements/\(id)", tenant)
            #expect(deleted == .noContent)
            let (gone, _) = try await client.send(.get, "/v1/placements/\(id)", tenant)
            #expect(gone == .notFound)
            // Its name is free again, and a decision no longer finds it.
            _ = try await client.placement(tenant, #"{"name": "home_hero", "channel": "web"}"#)
        }
    }

    @Test func badPlacementsAndDecisionsAre422NamingTheFieldNever500() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let deletedOffer = try await client.offer(tenant, #"{"code": "D", "name": "D", "creative": {"web": {"t": "x"}}}"#)
            _ = try await client.send(.delete, "/v1/offers/\(deletedOffer)", tenant)
            for (json, field) in [
                (#"{"channel": "web"}"#, "name"),
                (#"{"name": "has space", "channel": "web"}"#, "name"),
                (#"{"name": "p", "channel": "fax"}"#, "channel"),
                (#"{"name": "p", "channel": "web", "limit": 0}"#, "limit"),
                (#"{"name": "p", "channel": "web", "limit": 1.5}"#, "limit"),
                (#"{"name": "p", "channel": "web", "offer_ids": ["nope"]}"#, "offer_ids[0]"),
                (#"{"name": "p", "channel": "web", "offer_ids": "x"}"#, "offer_ids"),
                (#"{"name": "p", "channel": "web", "offer_ids": ["\#(deletedOffer)"]}"#, "offer_ids[0]"),
                (#"{"name": "p", "channel": "web", "fallback_offer_id": "\#(UUID().uuidString)"}"#, "fallback_offer_id"),
                (#"{"name": "p", "channel": "web", "extra": 1}"#, "extra"),
                ("[1]", ""),
            ] {
                let (status, problem) = try await client.send(.post, "/v1/placements", tenant, json: json)
                #expect(status == .unprocessableContent, "\(json): \(status)")
                let fields = (problem["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
                #expect(fields.contains(field), "\(json): \(fields)")
            }
            let (malformed, _) = try await client.send(.post, "/v1/placements", tenant, json: "{")
            #expect(malformed == .badRequest)
            let (badID, _) = try await client.send(.get, "/v1/placements/not-a-uuid", tenant)
            #expect(badID == .badRequest || badID == .notFound)

            _ = try await client.placement(tenant, #"{"name": "hero", "channel": "web"}"#)
            for (json, field) in [
                (#"{"channel": "web", "placement": "hero"}"#, "customer"),
                (#"{"customer": {}, "channel": "web", "placement": "hero"}"#, "customer"),
                (#"{"customer": {"customer_id": "x"}, "channel": "web", "placement": "hero"}"#, "customer.customer_id"),
                (
                    #"{"customer": {"customer_id": "\#(UUID().uuidString)", "anonymous_id": "a"}, "channel": "web", "placement": "hero"}"#,
                    "customer"
                ),
                (#"{"customer": {"identity": "fax:1"}, "channel": "web", "placement": "hero"}"#, "customer.identity"),
                (#"{"customer": {"anonymous_id": ""}, "channel": "web", "placement": "hero"}"#, "customer.anonymous_id"),
                (#"{"customer": {"anonymous_id": "a"}, "channel": "tv", "placement": "hero"}"#, "channel"),
                (#"{"customer": {"anonymous_id": "a"}, "channel": "app", "placement": "hero"}"#, "channel"),
                (#"{"customer": {"anonymous_id": "a"}, "channel": "web", "placement": "nowhere"}"#, "placement"),
                (#"{"customer": {"anonymous_id": "a"}, "channel": "web", "placement": "hero", "limit": 0}"#, "limit"),
                (#"{"customer": {"anonymous_id": "a"}, "channel": "web", "placement": "hero", "context": [1]}"#, "context"),
                (#"{"customer": {"anonymous_id": "a"}, "channel": "web", "placement": "hero", "extra": true}"#, "extra"),
            ] {
                let (status, problem) = try await client.send(.post, "/v1/decisions", tenant, json: json)
                #expect(status == .unprocessableContent, "\(json): \(status)")
                let fields = (problem["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
                #expect(fields.contains(field), "\(json): \(fields)")
            }
            // An unknown customer id is no error: nobody known, answered from rules needing no profile.
            let unknown = try await client.decide(
                tenant, #"{"customer": {"customer_id": "\#(UUID().uuidString)"}, "channel": "web", "placement": "hero"}"#)
            #expect(unknown["customer_id"] is NSNull && unknown.offerIDs.isEmpty)

            let missing = UUID().uuidString.lowercased()
            let (noDecision, _) = try await client.send(
                .post, "/v1/decisions/\(missing)/responses", tenant, json: #"{"offer_id": "\#(missing)", "response": "accepted"}"#
            )
            #expect(noDecision == .notFound)
            let decision = try await client.decide(
                tenant, #"{"customer": {"anonymous_id": "a"}, "channel": "web", "placement": "hero"}"#)
            let decisionID = try #require(decision["decision_id"] as? String)
            for (json, field) in [
                (#"{"offer_id": "\#(missing)", "response": "accepted"}"#, "offer_id"),
                (#"{"offer_id": "\#(missing)", "response": "maybe"}"#, "response"),
                (#"{"response": "accepted"}"#, "offer_id"),
            ] {
                let (status, problem) = try await client.send(.post, "/v1/decisions/\(decisionID)/responses", tenant, json: json)
                #expect(status == .unprocessableContent, "\(json): \(status)")
                let fields = (problem["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
                #expect(fields.contains(field), "\(json): \(fields)")
            }
            for json in [
                #"{"decline_limit": 0, "decline_suppression_days": 30}"#, #"{"decline_limit": 2}"#,
                #"{"decline_limit": 2, "decline_suppression_days": 1.5}"#,
            ] {
                let (status, _) = try await client.send(.put, "/v1/decision-settings", tenant, json: json)
                #expect(status == .unprocessableContent, "\(json)")
            }
            let (_, settings) = try await client.send(.get, "/v1/decision-settings", tenant)
            #expect(settings["decline_limit"] as? Int == 3 && settings["decline_suppression_days"] as? Int == 30)
        }
    }

    @Test func anotherTenantCannotSeeChangeOrUsePlacementsAndDecisions() async throws {
        try await withAPI { client in
            let shop = try await DecisionRouteTests.shop(client)
            let other = try await client.createTenant("Other")
            let (_, list) = try await client.send(.get, "/v1/placements", shop.tenant)
            let id = try #require((list["data"] as? [[String: Any]])?.first?["id"] as? String)
            for (method, json) in [(HTTPRequest.Method.get, nil), (.patch, #"{"limit": 2}"#), (.delete, nil)]
                as [(HTTPRequest.Method, String?)]
            {
                let (status, _) = try await client.send(method, "/v1/placements/\(id)", other, json: json)
                #expect(status == .notFound, "\(method)")
            }
            let (otherList, _) = try await client.send(.get, "/v1/placements", other)
            #expect(otherList == .ok)
            // Tenant A's placement name, customer and offers mean nothing to tenant B.
            let (decideStatus, _) = try await client.send(
                .post, "/v1/decisions", other,
                json: #"{"customer": {"customer_id": "\#(shop.ann)"}, "channel": "web", "placement": "home_hero"}"#)
            #expect(decideStatus == .unprocessableContent)
            _ = try await client.placement(other, #"{"name": "home_hero", "channel": "web"}"#)
            let theirs = try await client.decide(
                other, #"{"customer": {"customer_id": "\#(shop.ann)"}, "channel": "web", "placement": "home_hero"}"#)
            #expect(theirs["customer_id"] is NSNull && theirs.offerIDs.isEmpty)
            let (placementStatus, _) = try await client.send(
                .post, "/v1/placements", other, json: #"{"name": "x", "channel": "web", "offer_ids": ["\#(shop.gold)"]}"#)
            #expect(placementStatus == .unprocessableContent)
            // B cannot respond to A's decision.
            let mine = try await client.decide(
                shop.tenant, #"{"customer": {"customer_id": "\#(shop.ann)"}, "channel": "web", "placement": "home_hero"}"#)
            let decisionID = try #require(mine["decision_id"] as? String)
            let (respond, _) = try await client.send(
                .post, "/v1/decisions/\(decisionID)/responses", other,
                json: #"{"offer_id": "\#(shop.gold)", "response": "accepted"}"#)
            #expect(respond == .notFound)
            let (accepted, _) = try await client.send(
                .post, "/v1/decisions/\(decisionID)/responses", shop.tenant,
                json: #"{"offer_id": "\#(shop.gold)", "response": "accepted"}"#)
            #expect(accepted == .created)
        }
    }
}
