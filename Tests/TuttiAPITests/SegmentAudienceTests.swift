import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiRuntime

extension TestClientProtocol {
    /// Every member id of a segment, following cursors with pages of `limit`.
    func members(_ tenant: CreatedTenant, _ segment: String, limit: Int) async throws -> [String] {
        var ids: [String] = []
        var cursor: String?
        repeat {
            let (status, page) = try await send(.get, "/v1/segments/\(segment)/members?limit=\(limit)" + (cursor.map { "&cursor=\($0)" } ?? ""), tenant)
            try #require(status == .ok, "members answered \(status): \(page)")
            ids += (page["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            cursor = page["next_cursor"] as? String
        } while cursor != nil
        return ids
    }

    func segmentNames(_ tenant: CreatedTenant, customer: String) async throws -> Set<String> {
        let (status, json) = try await send(.get, "/v1/customers/\(customer)/segments", tenant)
        try #require(status == .ok, "customer segments answered \(status): \(json)")
        return Set((json["data"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
    }
}

@Suite("Segment audiences")
struct SegmentAudienceTests {
    @Test func countMembersAndRealTimeMembershipAgree() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            var customers: [String: String] = [:]
            for (user, country) in [("u1", "DE"), ("u2", "DE"), ("u3", "FR"), ("u4", "DE"), ("u5", "FR")] {
                customers[user] = try await client.customer(tenant, identities: [("external_id", user)], attributes: #"{"country": "\#(country)"}"#)
            }
            for user in ["u1", "u3", "u4"] { try await client.purchase(tenant, user: user, amount: "20", daysAgo: 10) }
            try await client.purchase(tenant, user: "u2", amount: "20", daysAgo: 200)

            let germans = try await client.segment(tenant, name: "Germans", rule: #"attributes.country = "DE""#)
            let buyers = try await client.segment(tenant, name: "Recent buyers", rule: #"count("Order Completed", last 90 days) >= 1"#)
            let both = try await client.segment(tenant, name: "German recent buyers", rule: #"in segment "Germans" and in segment "Recent buyers""#)

            let expected = [germans: ["u1", "u2", "u4"], buyers: ["u1", "u3", "u4"], both: ["u1", "u4"]]
            for (segment, users) in expected {
                let (_, count) = try await client.send(.get, "/v1/segments/\(segment)/count", tenant)
                #expect(count["count"] as? Int == users.count)
                #expect(count["version"] as? Int == 1)
                let members = try await client.members(tenant, segment, limit: 2)
                #expect(Set(members) == Set(users.compactMap { customers[$0] }), "pages of two cover the segment exactly once")
                #expect(members.count == users.count)
            }
            for (user, id) in customers {
                let names = try await client.segmentNames(tenant, customer: id)
                let inMemory = Set(expected.filter { $0.value.contains(user) }.keys)
                let bySQL = Set(try await [germans, buyers, both].asyncFilter { try await client.members(tenant, $0, limit: 200).contains(id) })
                #expect(inMemory == bySQL, "SQL and the in-memory evaluator agree for \(user)")
                let namesByID = [germans: "Germans", buyers: "Recent buyers", both: "German recent buyers"]
                #expect(names == Set(inMemory.compactMap { namesByID[$0] }))
            }

            // Real time: a change of attribute moves the customer at once.
            let (patched, _) = try await client.send(.patch, "/v1/customers/\(customers["u3"]!)", tenant, json: #"{"attributes": {"country": "DE"}}"#)
            #expect(patched == .ok)
            #expect(try await client.segmentNames(tenant, customer: customers["u3"]!) == ["Germans", "Recent buyers", "German recent buyers"])
        }
    }

    @Test func aMergedCustomersEventsCountForTheSurvivor() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            try await client.purchase(tenant, user: "web", amount: "5", daysAgo: 3)
            try await client.purchase(tenant, user: "app", amount: "5", daysAgo: 2)
            let twice = try await client.segment(tenant, name: "Twice", rule: #"count("Order Completed", last 30 days) >= 2"#)
            #expect(try await client.send(.get, "/v1/segments/\(twice)/count", tenant).1["count"] as? Int == 0)
            let web = try await client.customerID(tenant, user: "web")
            let (status, merged) = try await client.send(
                .post, "/v1/customers/\(web)/identities", tenant, json: #"{"identities": [{"type": "external_id", "value": "app"}]}"#)
            #expect(status == .ok)
            let survivor = try #require(merged["id"] as? String)
            #expect(try await client.send(.get, "/v1/segments/\(twice)/count", tenant).1["count"] as? Int == 1)
            #expect(try await client.members(tenant, twice, limit: 10) == [survivor])
            #expect(try await client.segmentNames(tenant, customer: survivor) == ["Twice"])
        }
    }

    @Test func anotherTenantCannotCountOrAskAboutMembership() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let other = try await client.createTenant("Other")
            let segment = try await client.segment(tenant, name: "All", rule: "true")
            let customer = try await client.customer(tenant, identities: [("email", "x@example.com")])
            #expect(try await client.send(.get, "/v1/segments/\(segment)/count", other).0 == .notFound)
            #expect(try await client.send(.get, "/v1/segments/\(segment)/members", other).0 == .notFound)
            #expect(try await client.send(.get, "/v1/customers/\(customer)/segments", other).0 == .notFound)
            // The other tenant's own "everyone" segment does not count this tenant's customer.
            let theirs = try await client.segment(other, name: "All", rule: "true")
            #expect(try await client.send(.get, "/v1/segments/\(theirs)/count", other).1["count"] as? Int == 0)
            #expect(try await client.send(.get, "/v1/segments/\(segment)/count", tenant).1["count"] as? Int == 1)
        }
    }
}

extension Sequence {
    func asyncFilter(_ isIncluded: (Element) async throws -> Bool) async rethrows -> [Element] {
        var kept: [Element] = []
        for element in self where try await isIncluded(element) { kept.append(element) }
        return kept
    }
}
