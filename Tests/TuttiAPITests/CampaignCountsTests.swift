import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing
import TuttiRuntime
import TuttiTestSupport

/// Counts and recipients read what the engine wrote: recipient rows and their messages. These
/// tests write them as the engine's build does, one occurrence of a launched campaign.
@Suite("Campaign counts and recipients")
struct CampaignCountsTests {
    /// (outcome of the build, reason, message state, message skip reason) per customer.
    static let plan: [(String, String?, String?, String?)] = [
        ("held_out", nil, nil, nil), ("held_out", nil, nil, nil),
        ("skipped", "unreachable", nil, nil), ("skipped", "unreachable", nil, nil), ("skipped", "capped", nil, nil),
        ("queued", nil, "queued", nil), ("queued", nil, "sending", nil), ("queued", nil, "sent", nil),
        ("queued", nil, "sent", nil),
        ("queued", nil, "failed", nil), ("queued", nil, "dead", nil), ("queued", nil, "skipped", "capped"),
        ("queued", nil, "skipped", "expired"),
    ]

    /// A launched campaign with one occurrence built after ``plan``; returns its id.
    func builtCampaign(_ client: any TestClientProtocol, _ fixture: CampaignFixture) async throws -> String {
        let tenant = fixture.tenant
        let id = try #require(try await client.createCampaign(tenant, fixture.definition())["id"] as? String)
        #expect(try await client.send(.post, "/v1/campaigns/\(id)/launch", tenant).0 == .ok)
        let tenantID = UUID(uuidString: tenant.id)!
        let campaignID = UUID(uuidString: id)!
        let channelID = UUID(uuidString: fixture.channels[0])!
        try await tenantSQL(
            tenant,
            "INSERT INTO campaign_occurrences (tenant_id, campaign_id, occurrence, planned_at, state) VALUES (\(tenantID), \(campaignID), 1, now(), 'built')"
        )
        for (outcome, reason, state, skipReason) in Self.plan {
            let customer = UUID(uuidString: try await client.customer(tenant, identities: [("email", "\(UUID())@example.com")]))!
            let message: UUID? = state == nil ? nil : UUID()
            if let message, let state {
                try await tenantSQL(
                    tenant,
                    """
                    INSERT INTO messages (tenant_id, id, customer_id, channel_id, channel_type, content, state, skip_reason, campaign_id, campaign_occurrence)
                    VALUES (\(tenantID), \(message), \(customer), \(channelID), 'webhook', '{}', \(state), \(skipReason), \(campaignID), 1)
                    """)
            }
            try await tenantSQL(
                tenant,
                """
                INSERT INTO campaign_recipients (tenant_id, campaign_id, occurrence, customer_id, outcome, reason, channel_id, message_id, planned_at)
                VALUES (\(tenantID), \(campaignID), 1, \(customer), \(outcome), \(reason), \(message == nil ? nil : channelID), \(message), now())
                """)
        }
        return id
    }

    @Test func countsGiveEveryRecipientItsFinalOutcomeOnce() async throws {
        try await withAPI { client in
            let fixture = try await client.campaignFixture()
            let id = try await builtCampaign(client, fixture)
            let (status, campaign) = try await client.send(.get, "/v1/campaigns/\(id)", fixture.tenant)
            #expect(status == .ok)
            let counts = campaign.counts
            #expect(counts["audience"] as? Int == 13 && counts["held_out"] as? Int == 2)
            #expect(counts["queued"] as? Int == 2, "queued and sending")
            #expect(counts["sent"] as? Int == 2 && counts["failed"] as? Int == 2, "failed and dead")
            #expect(counts["skipped"] as? [String: Int] == ["unreachable": 2, "capped": 2, "expired": 1], "\(counts)")
        }
    }

    @Test func recipientsAreListedByOutcomeAndReasonPageByPage() async throws {
        try await withAPI { client in
            let fixture = try await client.campaignFixture()
            let tenant = fixture.tenant
            let id = try await builtCampaign(client, fixture)
            var seen: [String] = []
            var cursor: String?
            repeat {
                let (status, page) = try await client.send(
                    .get, "/v1/campaigns/\(id)/recipients?limit=5\(cursor.map { "&cursor=\($0)" } ?? "")", tenant)
                #expect(status == .ok, "\(page)")
                let data = page["data"] as? [[String: Any]] ?? []
                #expect(data.count <= 5)
                seen += data.compactMap { $0["customer_id"] as? String }
                cursor = page["next_cursor"] as? String
            } while cursor != nil
            #expect(seen.count == 13 && Set(seen).count == 13 && seen == seen.sorted(), "every recipient once, in order")

            let (_, capped) = try await client.send(.get, "/v1/campaigns/\(id)/recipients?outcome=skipped&reason=capped", tenant)
            let rows = capped["data"] as? [[String: Any]] ?? []
            #expect(rows.count == 2, "capped at build and at send time: \(rows)")
            #expect(rows.allSatisfy { $0["outcome"] as? String == "skipped" && $0["reason"] as? String == "capped" })
            #expect(rows.filter { $0["message_id"] is String }.count == 1 && rows.allSatisfy { $0["planned_at"] is String })

            let (_, sent) = try await client.send(.get, "/v1/campaigns/\(id)/recipients?outcome=sent", tenant)
            let sentRows = sent["data"] as? [[String: Any]] ?? []
            #expect(
                sentRows.count == 2
                    && sentRows.allSatisfy { $0["channel_id"] as? String == fixture.channels[0] && $0["reason"] is NSNull })
            let (_, held) = try await client.send(.get, "/v1/campaigns/\(id)/recipients?outcome=held_out", tenant)
            #expect((held["data"] as? [[String: Any]])?.allSatisfy { $0["message_id"] is NSNull } == true)

            for query in ["outcome=lost", "limit=0", "limit=201", "cursor=abc", "reason="] {
                try await client.execute(uri: "/v1/campaigns/\(id)/recipients?\(query)", method: .get, headers: tenant.admin) {
                    let problem = try $0.expectProblem(.badRequest)
                    #expect(problem["type"] as? String == "urn:tutti:problem:invalid-query", "\(query)")
                }
            }
        }
    }
}
