import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiRuntime

/// A customer known by email on one channel and by phone on another is one person.
@Suite("Merging customers and undoing it")
struct MergeTests {
    @Test func identifyCarryingBothIdentitiesMergesAndUndoRestoresBoth() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let byEmail = try await client.customer(tenant, identities: [("email", "dee@example.com")], attributes: #"{"plan": "gold", "city": "Paris"}"#)
            let byPhone = try await client.customer(tenant, identities: [("phone", "+33611112222")], attributes: #"{"plan": "silver"}"#)
            // Each has its own history first.
            _ = try await client.ingest(tenant, "/v1/track", #"{"anonymousId": "web-1", "event": "Viewed Offer", "messageId": "e1"}"#)
            _ = try await client.send(.post, "/v1/customers/\(byEmail)/identities", tenant, json: #"{"identities": [{"type": "anonymous_id", "value": "web-1"}]}"#)
            _ = try await client.ingest(tenant, "/v1/track", #"{"userId": "sms-user", "event": "Replied STOP", "messageId": "e2", "context": {"channel": "sms"}}"#)
            _ = try await client.send(.post, "/v1/customers/\(byPhone)/identities", tenant, json: #"{"identities": [{"type": "external_id", "value": "sms-user"}]}"#)
            let emailHistory = try await client.timeline(tenant, byEmail).titles("event")
            let phoneHistory = try await client.timeline(tenant, byPhone).titles("event")
            #expect(emailHistory == ["Viewed Offer"])
            #expect(phoneHistory == ["Replied STOP"])

            // One identify carries both: they become one, the older customer survives.
            let (status, answer) = try await client.ingest(tenant, "/v1/identify", """
                {"userId": "dee", "traits": {"email": "DEE@example.com", "phone": "+33 6 11 11 22 22"}, "messageId": "e3"}
                """)
            #expect(status == .ok, "\(answer)")
            let (_, merged) = try await client.send(.get, "/v1/customers?identity=phone:%2B33611112222", tenant)
            let survivor = try #require((merged["data"] as? [[String: Any]])?.first)
            #expect(survivor["id"] as? String == byEmail)
            #expect((survivor["merged_ids"] as? [String] ?? []).contains(byPhone))
            #expect((survivor["attributes"] as? [String: Any])?["plan"] as? String == "silver", "the newer write wins")
            #expect((survivor["attributes"] as? [String: Any])?["city"] as? String == "Paris")
            let (_, viaOldID) = try await client.send(.get, "/v1/customers/\(byPhone)", tenant)
            #expect(viaOldID["id"] as? String == byEmail, "a merged-away id resolves to the survivor")

            let timeline = try await client.timeline(tenant, byEmail)
            #expect(Set(timeline.titles("event")).isSuperset(of: ["Viewed Offer", "Replied STOP", "Identify"]))
            let merge = try #require(timeline.first { $0["kind"] as? String == "merge" && (($0["detail"] as? [String: Any])?["merged_id"] as? String) == byPhone })
            let mergeID = try #require(merge["id"] as? String)
            #expect(try await client.timeline(tenant, byEmail, query: "&channel=sms").titles("event") == ["Replied STOP"])

            // Undo: two customers again, each with its own identities, attributes and history.
            let (undoStatus, undone) = try await client.send(.post, "/v1/customers/\(byEmail)/merges/\(mergeID)/undo", tenant)
            #expect(undoStatus == .ok, "\(undone)")
            #expect(undone["undone_at"] is String)
            let (_, phoneAgain) = try await client.send(.get, "/v1/customers/\(byPhone)", tenant)
            #expect(phoneAgain["id"] as? String == byPhone)
            #expect((phoneAgain["attributes"] as? [String: Any])?["plan"] as? String == "silver")
            let phoneValues = (phoneAgain["identities"] as? [[String: Any]] ?? []).compactMap { $0["value"] as? String }
            #expect(Set(phoneValues) == ["+33611112222", "sms-user"])
            let (_, emailAgain) = try await client.send(.get, "/v1/customers/\(byEmail)", tenant)
            #expect((emailAgain["attributes"] as? [String: Any])?["plan"] as? String == "gold")
            #expect((emailAgain["merged_ids"] as? [String])?.contains(byPhone) == false)
            #expect(try await client.timeline(tenant, byPhone).titles("event") == ["Replied STOP"])
            #expect(!(try await client.timeline(tenant, byEmail).titles("event").contains("Replied STOP")))

            let (again, _) = try await client.send(.post, "/v1/customers/\(byEmail)/merges/\(mergeID)/undo", tenant)
            #expect(again == .conflict)
        }
    }

    @Test func concurrentWritesRacingForOneIdentityNeverMakeTwoCustomers() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            for round in 0..<5 {
                let email = "race\(round)@example.com"
                let ids = try await withThrowingTaskGroup(of: String.self) { group in
                    for writer in 0..<8 {
                        group.addTask {
                            try await client.customer(tenant, identities: [("email", email), ("external_id", "w\(round)-\(writer)")])
                        }
                    }
                    return try await group.reduce(into: Set<String>()) { $0.insert($1) }
                }
                let (_, found) = try await client.send(.get, "/v1/customers?identity=email:\(email)", tenant)
                let holder = try #require((found["data"] as? [[String: Any]])?.first)
                let holderID = try #require(holder["id"] as? String)
                // Every writer's answer resolves to the one holder of the e-mail.
                for id in ids {
                    let (_, resolved) = try await client.send(.get, "/v1/customers/\(id)", tenant)
                    #expect(resolved["id"] as? String == holderID)
                }
                let externalIDs = (holder["identities"] as? [[String: Any]] ?? []).filter { $0["type"] as? String == "external_id" }
                #expect(externalIDs.count == 8, "all eight writers' identities end on the holder")
            }
        }
    }
}
