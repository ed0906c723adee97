import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing
import TuttiRuntime
import TuttiStore
import TuttiTestSupport

@Suite("Campaigns")
struct CampaignRouteTests {
    @Test func aDraftIsCreatedReadListedChangedAndDeleted() async throws {
        try await withAPI { client in
            let fixture = try await client.campaignFixture()
            let tenant = fixture.tenant
            let created = try await client.createCampaign(
                tenant, fixture.definition(extra: #""holdout_percent": 5, "offers": {"offer_ids": []}"#))
            let id = try #require(created["id"] as? String)
            #expect(created["state"] as? String == "draft")
            #expect(created["channels"] as? [String] == fixture.channels, "channels keep their order")
            #expect(created["holdout_percent"] as? Double == 5 && created["expires_after"] is NSNull)
            #expect(created["template_version"] is NSNull && created["launched_at"] is NSNull)
            #expect(created["counts"] as? [String: Any] != nil)

            let (_, got) = try await client.send(.get, "/v1/campaigns/\(id)", tenant)
            #expect(got["name"] as? String == "Spring")
            #expect(got.counts["audience"] as? Int == 0 && got.counts["skipped"] as? [String: Int] == [:])
            let (_, list) = try await client.send(.get, "/v1/campaigns", tenant)
            #expect((list["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [id])
            #expect(list["next_cursor"] is NSNull)

            let (patched, changed) = try await client.send(
                .patch, "/v1/campaigns/\(id)", tenant,
                json: #"{"name": "Summer", "holdout_percent": null, "expires_after": "2 hours"}"#)
            #expect(patched == .ok, "\(changed)")
            #expect(changed["name"] as? String == "Summer" && changed["holdout_percent"] is NSNull)
            #expect(changed["expires_after"] as? String == "2 hours" && changed["channels"] as? [String] == fixture.channels)

            #expect(try await client.send(.delete, "/v1/campaigns/\(id)", tenant).0 == .noContent)
            #expect(try await client.send(.get, "/v1/campaigns/\(id)", tenant).0 == .notFound)
            #expect(try await client.send(.delete, "/v1/campaigns/\(id)", tenant).0 == .notFound)
        }
    }

    @Test func aCampaignNamingWhatTheTenantDoesNotHaveIsRefusedNamingEachMember() async throws {
        try await withAPI { client in
            let fixture = try await client.campaignFixture()
            let other = try await client.campaignFixture("Other")
            let missing = UUID().uuidString.lowercased()
            let json = """
                {"name": "x", "audience": {"segment_id": "\(other.segmentID)"}, "template_id": "\(missing)",
                 "channels": ["\(fixture.channels[0])", "\(other.channels[0])"], "offers": {"offer_ids": ["\(missing)"]},
                 "schedule": {"type": "now"}}
                """
            let response = try await client.execute(
                uri: "/v1/campaigns", method: .post, headers: fixture.tenant.admin.with(.contentType, "application/json"),
                body: ByteBuffer(string: json))
            let problem = try response.expectProblem(.unprocessableContent)
            let fields = (problem["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
            #expect(fields == ["template_id", "channels[1]", "offers.offer_ids[0]", "audience.segment_id"], "\(problem)")
            let (_, list) = try await client.send(.get, "/v1/campaigns", fixture.tenant)
            #expect((list["data"] as? [Any])?.isEmpty == true, "nothing was saved")

            _ = try await client.send(.delete, "/v1/channels/\(fixture.channels[1])", fixture.tenant)
            let (deleted, refused) = try await client.send(.post, "/v1/campaigns", fixture.tenant, json: fixture.definition())
            #expect(deleted == .unprocessableContent)
            #expect(
                (refused["errors"] as? [[String: Any]])?.first?["field"] as? String == "channels[1]",
                "a deleted channel is refused")
        }
    }

    @Test func badDefinitionsAnswer422WithWhatToFixAndBadBodies400Or415() async throws {
        try await withAPI { client in
            let fixture = try await client.campaignFixture()
            let tenant = fixture.tenant
            let cases: [(String, String)] = [
                (fixture.definition(extra: #""holdout_percent": 101"#), "holdout_percent"),
                (fixture.definition(extra: #""throttle": 5"#), "throttle"),
                (
                    fixture.definition(schedule: #"{"type": "recurring", "cron": "0 25 * * *", "time_zone": "Europe/Berlin"}"#),
                    "schedule.cron"
                ),
                (fixture.definition(schedule: #"{"type": "at", "at": "tomorrow"}"#), "schedule.at"),
                (
                    fixture.definition().replacingOccurrences(
                        of: #"{"segment_id": "\#(fixture.segmentID)"}"#, with: #"{"rule": "attributes.age >"}"#), "audience.rule"
                ),
                ("[1, 2]", ""),
            ]
            for (json, field) in cases {
                let response = try await client.execute(
                    uri: "/v1/campaigns", method: .post, headers: tenant.admin.with(.contentType, "application/json"),
                    body: ByteBuffer(string: json))
                let problem = try response.expectProblem(.unprocessableContent)
                let error = try #require((problem["errors"] as? [[String: Any]])?.first, "\(problem)")
                #expect((error["field"] as? String ?? "") == field, "\(problem)")
                #expect((error["message"] as? String)?.isEmpty == false)
            }
            try await client.execute(
                uri: "/v1/campaigns", method: .post, headers: tenant.admin.with(.contentType, "application/json"),
                body: ByteBuffer(string: "{")
            ) { try $0.expectProblem(.badRequest) }
            try await client.execute(uri: "/v1/campaigns", method: .post, headers: tenant.admin, body: ByteBuffer(string: "{}")) {
                try $0.expectProblem(.unsupportedMediaType)
            }
            try await client.execute(uri: "/v1/campaigns/not-an-id", method: .get, headers: tenant.admin) {
                try $0.expectProblem(.badRequest)
            }
            try await client.execute(uri: "/v1/campaigns/\(UUID())/launch", method: .post, headers: tenant.admin) {
                try $0.expectProblem(.notFound)
            }
        }
    }

    @Test func aRuleOfItsOwnIsCheckedAndPinnedAtLaunch() async throws {
        try await withAPI { client in
            let fixture = try await client.campaignFixture()
            let json = fixture.definition().replacingOccurrences(
                of: #"{"segment_id": "\#(fixture.segmentID)"}"#, with: #"{"rule": "attributes.age >= 18"}"#)
            let id = try #require(try await client.createCampaign(fixture.tenant, json)["id"] as? String)
            let (status, launched) = try await client.send(.post, "/v1/campaigns/\(id)/launch", fixture.tenant)
            #expect(status == .ok, "\(launched)")
            #expect(launched["segment_version"] is NSNull && launched["template_version"] as? Int == 1)
            let pinned = try await pinnedRule(fixture.tenant, id)
            #expect(pinned.contains("age"), "the checked rule is pinned: \(pinned)")
        }
    }

    @Test func launchPinsTheCurrentVersionsAndSchedulesTheFirstOccurrence() async throws {
        try await withAPI { client in
            let fixture = try await client.campaignFixture()
            let tenant = fixture.tenant
            _ = try await client.putSegment(tenant, fixture.segmentID, name: "Gold", rule: #"attributes.plan = "platinum""#)
            let template = try await insertTemplate(tenant, versions: 3)
            let json = fixture.definition(schedule: #"{"type": "at", "at": "2031-05-04T09:30:00+02:00"}"#)
                .replacingOccurrences(of: fixture.templateID, with: template)
            let id = try #require(try await client.createCampaign(tenant, json)["id"] as? String)
            let (status, launched) = try await client.send(.post, "/v1/campaigns/\(id)/launch", tenant)
            #expect(status == .ok, "\(launched)")
            #expect(launched["state"] as? String == "scheduled")
            #expect(launched["template_version"] as? Int == 3 && launched["segment_version"] as? Int == 2)
            #expect(launched["next_occurrence_at"] as? String == "2031-05-04T07:30:00Z")
            #expect(launched["launched_at"] is String)
            #expect(try await pinnedRule(tenant, id).contains("platinum"), "the segment's current rule is pinned")

            let recurring = try await client.createCampaign(
                tenant,
                fixture.definition(schedule: #"{"type": "recurring", "cron": "0 9 * * *", "time_zone": "Asia/Kathmandu"}"#))
            let (_, daily) = try await client.send(.post, "/v1/campaigns/\(recurring["id"] as! String)/launch", tenant)
            #expect((daily["next_occurrence_at"] as? String)?.hasSuffix("T03:15:00Z") == true, "09:00 in Kathmandu: \(daily)")

            let local = try await client.createCampaign(
                tenant, fixture.definition(schedule: #"{"type": "local", "date": "2031-01-10", "time": "09:00"}"#))
            let (_, early) = try await client.send(.post, "/v1/campaigns/\(local["id"] as! String)/launch", tenant)
            #expect(early["next_occurrence_at"] as? String == "2031-01-09T19:00:00Z", "09:00 at UTC+14 comes first")
        }
    }

    @Test func eachActionIsAllowedOnlyInItsStatesAndRefusalsNameTheState() async throws {
        try await withAPI { client in
            let fixture = try await client.campaignFixture()
            let tenant = fixture.tenant
            let id = try #require(try await client.createCampaign(tenant, fixture.definition())["id"] as? String)
            func post(_ action: String) async throws -> (HTTPResponse.Status, [String: Any]) {
                try await client.send(.post, "/v1/campaigns/\(id)/\(action)", tenant)
            }
            #expect(try await post("pause").1["type"] as? String == "urn:tutti:problem:campaign-draft")
            #expect(try await post("resume").0 == .conflict)
            #expect(try await post("launch").1["state"] as? String == "scheduled")
            let (again, problem) = try await post("launch")
            #expect(again == .conflict && problem["type"] as? String == "urn:tutti:problem:campaign-scheduled")
            #expect((problem["detail"] as? String)?.contains("pause, cancel") == true, "\(problem)")
            let (patch, notDraft) = try await client.send(.patch, "/v1/campaigns/\(id)", tenant, json: #"{"name": "Later"}"#)
            #expect(patch == .conflict && notDraft["type"] as? String == "urn:tutti:problem:campaign-scheduled")
            #expect(
                try await client.send(.delete, "/v1/campaigns/\(id)", tenant).0 == .conflict, "a live campaign is cancelled first"
            )

            #expect(try await post("pause").1["state"] as? String == "paused")
            #expect(try await post("resume").1["state"] as? String == "scheduled", "no occurrence opened yet")
            try await tenantSQL(
                tenant,
                """
                INSERT INTO campaign_occurrences (tenant_id, campaign_id, occurrence, planned_at)
                VALUES (\(UUID(uuidString: tenant.id)!), \(UUID(uuidString: id)!), 1, now())
                """)
            #expect(try await post("pause").1["state"] as? String == "paused")
            #expect(try await post("resume").1["state"] as? String == "running", "an occurrence opened: it runs again")

            let (cancelled, body) = try await post("cancel")
            #expect(cancelled == .ok && body["state"] as? String == "cancelled" && body["next_occurrence_at"] is NSNull)
            #expect(try await occurrenceStates(tenant, id) == ["cancelled"], "the occurrence being built is cancelled")
            #expect(try await post("cancel").1["type"] as? String == "urn:tutti:problem:campaign-cancelled")

            let (cloned, copy) = try await post("clone")
            #expect(cloned == .created && copy["state"] as? String == "draft" && copy["name"] as? String == "Spring (copy)")
            #expect(copy["id"] as? String != id && copy["launched_at"] is NSNull)
            #expect(try await client.send(.delete, "/v1/campaigns/\(id)", tenant).0 == .noContent)
        }
    }

    @Test func anotherTenantAndAViewerCannotReadOrChangeACampaign() async throws {
        try await withAPI { client in
            let fixture = try await client.campaignFixture()
            let id = try #require(try await client.createCampaign(fixture.tenant, fixture.definition())["id"] as? String)
            let other = try await client.campaignFixture("Other")
            let b = other.tenant
            #expect(try await client.send(.get, "/v1/campaigns/\(id)", b).0 == .notFound)
            #expect(try await client.send(.get, "/v1/campaigns/\(id)/recipients", b).0 == .notFound)
            #expect(try await client.send(.patch, "/v1/campaigns/\(id)", b, json: #"{"name": "mine"}"#).0 == .notFound)
            for action in ["launch", "pause", "resume", "cancel", "clone"] {
                #expect(try await client.send(.post, "/v1/campaigns/\(id)/\(action)", b).0 == .notFound, "\(action)")
            }
            #expect(try await client.send(.delete, "/v1/campaigns/\(id)", b).0 == .notFound)
            let (_, list) = try await client.send(.get, "/v1/campaigns", b)
            #expect((list["data"] as? [Any])?.isEmpty == true)
            // Tenant B cannot point a campaign of its own at A's template either.
            let borrowed = other.definition().replacingOccurrences(of: other.templateID, with: fixture.templateID)
            #expect(try await client.send(.post, "/v1/campaigns", b, json: borrowed).0 == .unprocessableContent)

            let viewer = try await client.createKey(fixture.tenant, role: "viewer")
            let headers: HTTPFields = [.authorization: "Bearer \(viewer.token)"]
            try await client.execute(uri: "/v1/campaigns/\(id)", method: .get, headers: headers) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/campaigns/\(id)/launch", method: .post, headers: headers) {
                try $0.expectProblem(.forbidden)
            }
            let (_, still) = try await client.send(.get, "/v1/campaigns/\(id)", fixture.tenant)
            #expect(still["name"] as? String == "Spring" && still["state"] as? String == "draft")
        }
    }
}

/// The audience rule pinned on the campaign's row.
func pinnedRule(_ tenant: CreatedTenant, _ id: String) async throws -> String {
    try await withTestDatabase { database in
        try await database.withTenant(UUID(uuidString: tenant.id)!, logger: TestDatabase.logger) { session in
            let rows = try await session.connection.query(
                "SELECT coalesce(audience_rule::text, '') FROM campaigns WHERE id = \(UUID(uuidString: id)!)",
                logger: TestDatabase.logger)
            for try await text in rows.decode(String.self) { return text }
            return ""
        }
    }
}

/// The states of the campaign's occurrences, in order.
func occurrenceStates(_ tenant: CreatedTenant, _ id: String) async throws -> [String] {
    try await withTestDatabase { database in
        try await database.withTenant(UUID(uuidString: tenant.id)!, logger: TestDatabase.logger) { session in
            let rows = try await session.connection.query(
                "SELECT state FROM campaign_occurrences WHERE campaign_id = \(UUID(uuidString: id)!) ORDER BY occurrence",
                logger: TestDatabase.logger)
            var states: [String] = []
            for try await state in rows.decode(String.self) { states.append(state) }
            return states
        }
    }
}
