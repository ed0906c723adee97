import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiRuntime

extension TestClientProtocol {
    /// Tracks one purchase of `amount` (JSON text, so that non-numbers can be sent) `daysAgo`.
    func purchase(
        _ tenant: CreatedTenant, user: String, amount: String, daysAgo: Int, event: String = "Order Completed",
        property: String = "revenue"
    ) async throws {
        let at = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-Double(daysAgo) * 86400))
        let (status, json) = try await ingest(
            tenant, "/v1/track",
            #"{"userId": "\#(user)", "event": "\#(event)", "timestamp": "\#(at)", "properties": {"\#(property)": \#(amount)}}"#)
        try #require(status == .ok, "track answered \(status): \(json)")
    }

    func value(_ tenant: CreatedTenant, _ customerID: String) async throws -> [String: Any] {
        let (status, json) = try await send(.get, "/v1/customers/\(customerID)/value", tenant)
        try #require(status == .ok, "value answered \(status): \(json)")
        return json
    }

    func customerID(_ tenant: CreatedTenant, user: String) async throws -> String {
        let (_, found) = try await send(.get, "/v1/customers?identity=external_id:\(user)", tenant)
        return try #require((found["data"] as? [[String: Any]])?.first?["id"] as? String)
    }
}

@Suite("Customer value metric")
struct CustomerValueTests {
    @Test func purchasesUpdateTheBuyersValueAsTheyArrive() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            try await client.purchase(tenant, user: "ann", amount: "40", daysAgo: 30)
            try await client.purchase(tenant, user: "ann", amount: "60.5", daysAgo: 2)
            try await client.purchase(tenant, user: "ann", amount: #""a lot""#, daysAgo: 1)
            let (status, _) = try await client.ingest(
                tenant, "/v1/track", #"{"userId": "ann", "event": "Product Viewed", "properties": {"revenue": 999}}"#)
            #expect(status == .ok)

            let value = try await client.value(tenant, try await client.customerID(tenant, user: "ann"))
            #expect(value["order_count"] as? Int == 3, "a purchase without a numeric revenue still counts as an order")
            #expect(value["lifetime_revenue"] as? Double == 100.5, "only the conversion event's revenue counts")
            #expect(value["first_purchase"] is String && value["last_purchase"] is String)
            #expect(value["predicted_12m"] == nil, "predictions wait for the first full recomputation")
        }
    }

    @Test func mergingTwoBuyersAddsTheirPurchasesAndUndoSplitsThemAgain() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            try await client.purchase(tenant, user: "bo", amount: "10", daysAgo: 5)
            try await client.purchase(tenant, user: "bo-mobile", amount: "25", daysAgo: 3)
            let bo = try await client.customerID(tenant, user: "bo")
            let mobile = try await client.customerID(tenant, user: "bo-mobile")
            let (status, merged) = try await client.send(
                .post, "/v1/customers/\(bo)/identities", tenant,
                json: #"{"identities": [{"type": "external_id", "value": "bo-mobile"}]}"#)
            #expect(status == .ok || status == .created, "\(merged)")
            let survivor = try #require(merged["id"] as? String)
            let value = try await client.value(tenant, survivor)
            #expect(value["order_count"] as? Int == 2)
            #expect(value["lifetime_revenue"] as? Double == 35)
            #expect(
                try await client.value(tenant, mobile)["order_count"] as? Int == 2, "the merged-away id resolves to the survivor")

            let mergeID = try #require((merged["merges"] as? [[String: Any]])?.first?["id"] as? String)
            let (undone, body) = try await client.send(.post, "/v1/customers/\(survivor)/merges/\(mergeID)/undo", tenant)
            #expect(undone == .ok, "\(body)")
            #expect(try await client.value(tenant, bo)["lifetime_revenue"] as? Double == 10)
            #expect(try await client.value(tenant, mobile)["lifetime_revenue"] as? Double == 25)
        }
    }

    @Test func recomputationScoresRFMByQuintilesAndFitsThePredictionModel() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            // Forty buyers: the higher the number, the more often (every 20 days), the more
            // recently and the more they bought.
            for buyer in 0..<40 {
                for order in 0...(buyer / 8) {
                    try await client.purchase(
                        tenant, user: "b\(buyer)", amount: "\(10 + buyer)", daysAgo: 2 + (39 - buyer) * 4 + order * 20)
                }
            }
            let (status, settings) = try await client.send(.post, "/v1/customer-value/recompute", tenant)
            #expect(status == .ok, "\(settings)")
            let model = try #require(settings["model"] as? [String: Any])
            #expect(model["buyers"] as? Int == 40)
            #expect(model["name"] as? String == "bgnbd+gamma-gamma")
            #expect((model["bgnbd"] as? [String: Any])?["r"] is Double)

            let best = try await client.value(tenant, try await client.customerID(tenant, user: "b39"))
            let worst = try await client.value(tenant, try await client.customerID(tenant, user: "b0"))
            let bestRFM = try #require(best["rfm"] as? [String: Any])
            let worstRFM = try #require(worst["rfm"] as? [String: Any])
            #expect(bestRFM["recency"] as? Int == 5 && bestRFM["frequency"] as? Int == 5 && bestRFM["monetary"] as? Int == 5)
            #expect(worstRFM["recency"] as? Int == 1 && worstRFM["frequency"] as? Int == 1 && worstRFM["monetary"] as? Int == 1)
            let bestPrediction = try #require(best["predicted_12m"] as? Double)
            let worstPrediction = try #require(worst["predicted_12m"] as? Double)
            #expect(bestPrediction > worstPrediction)

            // A purchase after the recomputation is scored with the stored quintile bounds.
            try await client.purchase(tenant, user: "newcomer", amount: "500", daysAgo: 0)
            let newcomer = try #require(
                try await client.value(tenant, try await client.customerID(tenant, user: "newcomer"))["rfm"] as? [String: Any])
            #expect(newcomer["recency"] as? Int == 5 && newcomer["monetary"] as? Int == 5 && newcomer["frequency"] as? Int == 1)
            // A buyer who had a value row is scored again from the new sums (by a second statement
            // after the insert, see EventInsertStatement).
            try await client.purchase(tenant, user: "b0", amount: "500", daysAgo: 0)
            let rescored = try #require(
                try await client.value(tenant, try await client.customerID(tenant, user: "b0"))["rfm"] as? [String: Any])
            #expect(rescored["recency"] as? Int == 5 && rescored["monetary"] as? Int == 5, "\(rescored)")
        }
    }

    @Test func theTenantChoosesWhichEventIsAPurchase() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let (status, settings) = try await client.send(
                .patch, "/v1/customer-value", tenant, json: #"{"event_name": "Booking Paid", "revenue_property": "amount"}"#)
            #expect(status == .ok)
            #expect(settings["event_name"] as? String == "Booking Paid")
            try await client.purchase(tenant, user: "cy", amount: "70", daysAgo: 1, event: "Booking Paid", property: "amount")
            try await client.purchase(tenant, user: "cy", amount: "70", daysAgo: 1)
            let value = try await client.value(tenant, try await client.customerID(tenant, user: "cy"))
            #expect(value["order_count"] as? Int == 1 && value["lifetime_revenue"] as? Double == 70)
            let (bad, _) = try await client.send(.patch, "/v1/customer-value", tenant, json: #"{"event_name": ""}"#)
            #expect(bad == .unprocessableContent)
        }
    }

    @Test func anotherTenantCannotReadAValue() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let other = try await client.createTenant("Other")
            try await client.purchase(tenant, user: "dee", amount: "5", daysAgo: 1)
            let dee = try await client.customerID(tenant, user: "dee")
            let (status, _) = try await client.send(.get, "/v1/customers/\(dee)/value", other)
            #expect(status == .notFound)
        }
    }
}
