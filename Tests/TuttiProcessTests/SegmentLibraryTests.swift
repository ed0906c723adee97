import Foundation
import Testing
import TuttiDomain
import TuttiRuntime
import TuttiStore
import TuttiTestSupport

/// Segment's own Python library (`segment-analytics-python`, in the virtual environment that
/// `ops/test` makes from `ops/test-requirements.txt`) sends to a real `tutti-api` unchanged:
/// its wire format (`POST {host}/v1/batch`, the write key as the Basic user name, batching on
/// a background thread) is accepted, profiles and timelines come out right, and a replayed
/// `messageId` is stored once.
@Suite("Segment's Python library against tutti-api")
struct SegmentLibraryTests {
    @Test func identifyTrackPageAliasAreStoredAndAReplayIsStoredOnce() async throws {
        guard let python = ProcessInfo.processInfo.environment["TUTTI_TEST_PYTHON"], !python.isEmpty else {
            throw TestSetupError(
                "TUTTI_TEST_PYTHON is not set: run with ops/test, which makes a Python virtual environment with "
                    + "segment-analytics-python (ops/test-requirements.txt) and exports its python")
        }
        let configuration = try await TuttiConfiguration.forTesting(apiKeyCacheTTL: .seconds(10))
        let (tenant, writeKey) = try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Segment library", in: database)
            let key = try await database.withTenant(tenant.tenant.id, logger: TestDatabase.logger) { session in
                try await session.apiKeyIssue(name: "analytics-python", role: .ingest)
            }
            return (tenant, key)
        }
        let port = try freePorts(1)[0]
        var environment = configuration.environmentVariables()
        environment["TUTTI_API_PORT"] = "\(port)"
        let api = try SpawnedProcess("tutti-api", environment: environment)
        defer { api.terminate() }
        let base = "http://127.0.0.1:\(port)"
        try #require(await waitUntilReady("\(base)/health/ready"), "tutti-api never became ready:\n\(api.text)")

        let script = FileManager.default.temporaryDirectory.appendingPathComponent("tutti-segment-\(UUID().uuidString).py")
        try SegmentLibraryScript.source.write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let userID = "py-user-\(suffix)", anonymousID = "py-anon-\(suffix)", messageID = "py-order-\(suffix)"
        let email = "ada.\(suffix)@example.com"
        let run = try await runToCompletion(
            python, [script.path, base, writeKey.token, userID, anonymousID, messageID, email],
            environment: ["PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"], timeout: .seconds(60))
        try #require(run.status == 0, "the Python script failed (status \(String(describing: run.status))):\n\(run.output)\n--- tutti-api:\n\(api.text)")

        // What went over the wire, phase by phase: visit, sign-up, replay.
        let summaryLine = try #require(run.output.split(separator: "\n").last { $0.hasPrefix("SUMMARY ") }, "\(run.output)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(summaryLine.dropFirst(8).utf8)) as? [String: Any])
        let phases = try #require(summary["phases"] as? [[[String: Any]]], "\(summaryLine)")
        try #require(phases.count == 3, "\(summaryLine)")
        for response in phases.joined() {
            #expect(response["method"] as? String == "POST")
            #expect(response["url"] as? String == "\(base)/v1/batch")
            #expect(response["authorization"] as? String == "Basic")
            #expect(response["content_encoding"] is NSNull, "the library sent a compressed body: \(response)")
        }
        func total(_ phase: [[String: Any]], _ field: String) -> Int {
            phase.reduce(0) { $0 + ((($1["body"] as? [String: Any])?[field] as? Int) ?? 0) }
        }
        #expect(total(phases[0], "stored") == 1, "\(phases[0])")
        #expect(total(phases[1], "stored") == 4 && total(phases[1], "duplicates") == 0, "\(phases[1])")
        #expect(total(phases[2], "stored") == 0 && total(phases[2], "duplicates") == 1, "the replay: \(phases[2])")

        // The profile: traits as attributes, the email identity, the anonymous visitor merged in.
        let admin = tenant.adminAuthorization
        let found = try await getJSON("\(base)/v1/customers?identity=external_id:\(userID)", authorization: admin)
        let customers = try #require(found.json["data"] as? [[String: Any]], "\(found)")
        try #require(customers.count == 1, "\(found)")
        let customer = customers[0]
        let customerID = try #require(customer["id"] as? String)
        let attributes = try #require(customer["attributes"] as? [String: Any])
        #expect(attributes["name"] as? String == "Ada Lovelace")
        #expect(attributes["plan"] as? String == "enterprise")
        #expect(attributes["email"] as? String == email)
        let identities = Set(((customer["identities"] as? [[String: Any]]) ?? []).map { "\($0["type"] ?? ""):\($0["value"] ?? "")" })
        #expect(identities.isSuperset(of: ["external_id:\(userID)", "email:\(email)", "anonymous_id:\(anonymousID)"]), "\(identities)")
        #expect((customer["merged_ids"] as? [String])?.count == 1, "\(customer)")
        let byAnonymousID = try await getJSON("\(base)/v1/customers?identity=anonymous_id:\(anonymousID)", authorization: admin)
        #expect(((byAnonymousID.json["data"] as? [[String: Any]])?.first?["id"] as? String) == customerID, "\(byAnonymousID)")

        // The timeline: every message once, the replay not a second time.
        let timeline = try await getJSON("\(base)/v1/customers/\(customerID)/timeline?kind=event&limit=100", authorization: admin)
        let events = try #require(timeline.json["data"] as? [[String: Any]], "\(timeline)")
        let seen = events.map { entry -> String in
            let detail = entry["detail"] as? [String: Any]
            return "\(detail?["type"] as? String ?? "?"): \(entry["title"] as? String ?? "?")"
        }
        #expect(seen.sorted() == [
            "alias: Alias", "identify: Identify", "page: Viewed Getting Started Page", "track: Order Completed", "track: Viewed Pricing",
        ], "\(seen)")
        let orders = events.filter { ($0["detail"] as? [String: Any])?["message_id"] as? String == messageID }
        #expect(orders.count == 1, "the replayed message_id is on the timeline \(orders.count) times")
        let properties = (orders.first?["detail"] as? [String: Any])?["properties"] as? [String: Any]
        #expect(properties?["order_id"] as? String == "o-1001")
        #expect(properties?["revenue"] as? Double == 42.5)
        let page = events.first { $0["title"] as? String == "Viewed Getting Started Page" }
        #expect(page?["channel"] as? String == "web")
        // Timestamps as Python writes them (`+00:00` offsets, microseconds in sentAt) land near now.
        for event in events {
            let at = (event["at"] as? String).flatMap(ISO8601.parse)
            #expect(at.map { abs($0.timeIntervalSinceNow) < 300 } == true, "\(event)")
        }
    }
}
