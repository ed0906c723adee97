import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import Testing
import TuttiAPI
import TuttiDomain
import TuttiRuntime
import TuttiStore
import TuttiTestSupport

@Suite("POST /v1/rules/validate")
struct RuleValidationTests {
    static func validate(_ client: some TestClientProtocol, _ body: String, headers: HTTPFields) async throws -> TestResponse {
        try await client.execute(
            uri: "/v1/rules/validate", method: .post, headers: headers.with(.contentType, "application/json"), body: ByteBuffer(string: body))
    }

    static func body(rule: String, segment: String? = nil) -> String {
        let encoded = String(decoding: try! JSONEncoder().encode(rule), as: UTF8.self)
        return segment.map { #"{"rule": \#(encoded), "segment": "\#($0)"}"# } ?? #"{"rule": \#(encoded)}"#
    }

    /// Stores a segment version directly, as the segment routes will.
    static func storeSegment(tenant: CreatedTenant, name: String, version: Int, rule: RuleExpression) async throws {
        let tenantID = try #require(UUID(uuidString: tenant.id))
        let json = String(decoding: try JSONEncoder().encode(rule), as: UTF8.self)
        let text = RulePrinter.text(of: rule)
        try await withTestDatabase { database in
            try await database.withTenant(tenantID, logger: TestDatabase.logger) { session in
                let id = UUID.v7()
                try await session.connection.query(
                    "INSERT INTO segments (tenant_id, id, name, current_version) VALUES (\(tenantID), \(id), \(name), \(version))",
                    logger: TestDatabase.logger)
                try await session.connection.query(
                    """
                    INSERT INTO segment_versions (tenant_id, segment_id, version, rule_text, rule)
                    VALUES (\(tenantID), \(id), \(version), \(text), \(json)::jsonb)
                    """, logger: TestDatabase.logger)
            }
        }
    }

    @Test func aValidRuleIsAnsweredWithItsTreeTextAndEvents() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let response = try await Self.validate(
                client, Self.body(rule: "ATTRIBUTES.country = \"DE\"\n  and count(\"Order Completed\" where total > 50, last 90 days) >= 2"),
                headers: tenant.admin)
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            let json = try response.json()
            #expect(json["valid"] as? Bool == true)
            #expect(json["text"] as? String == #"attributes.country = "DE" and count("Order Completed" where total > 50, last 90 days) >= 2"#)
            #expect((json["rule"] as? [String: Any])?["all"] != nil)
            let events = try #require(json["events"] as? [[String: Any]])
            #expect(events.count == 1)
            #expect(events.first?["event"] as? String == "Order Completed")
            #expect((json["segments"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func aSyntaxErrorIsA422WithLineAndColumn() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let response = try await Self.validate(client, Self.body(rule: "attributes.country = \"DE\"\nand attributes.age >="), headers: tenant.admin)
            let problem = try response.expectProblem(.unprocessableContent)
            #expect(problem["type"] as? String == "urn:tutti:problem:invalid-rule")
            let errors = try #require(problem["errors"] as? [[String: Any]])
            #expect(errors.count == 1)
            #expect(errors.first?["line"] as? Int == 2)
            #expect(errors.first?["column"] as? Int == 22)
            #expect(errors.first?["message"] as? String == "expected a value after `>=` but found end of rule")
        }
    }

    @Test func typeErrorsAreAllReported() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let response = try await Self.validate(
                client, Self.body(rule: "attributes.vip < true and can receive fax"), headers: tenant.admin)
            let errors = try #require(try response.expectProblem(.unprocessableContent)["errors"] as? [[String: Any]])
            #expect(errors.map { $0["column"] as? Int } == [18, 39])
        }
    }

    @Test func anUnknownSegmentIsReportedAndAStoredOneIsInlined() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let rule = Self.body(rule: #"in segment "VIP" and can receive email"#)
            let unknown = try await Self.validate(client, rule, headers: tenant.admin)
            let errors = try #require(try unknown.expectProblem(.unprocessableContent)["errors"] as? [[String: Any]])
            #expect(errors.first?["message"] as? String == #"there is no segment named "VIP""#)
            #expect(errors.first?["column"] as? Int == 12)

            try await Self.storeSegment(tenant: tenant, name: "vip", version: 2, rule: .value(.recency, .compare(.greaterOrEqual, .number(4))))
            let known = try await Self.validate(client, rule, headers: tenant.admin)
            #expect(known.status == .ok, "\(String(buffer: known.body))")
            let segments = try #require(try known.json()["segments"] as? [[String: Any]])
            #expect(segments.first?["name"] as? String == "vip")
            #expect(segments.first?["version"] as? Int == 2)
        }
    }

    @Test func aRuleThatLeadsBackToTheSegmentBeingDefinedIsACycle() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let oldA = RuleExpression.canReceive(.email)
            try await Self.storeSegment(tenant: tenant, name: "A", version: 1, rule: oldA)
            try await Self.storeSegment(tenant: tenant, name: "B", version: 1, rule: .inSegment(SegmentReference(name: "A", version: 1), oldA))
            let response = try await Self.validate(client, Self.body(rule: #"in segment "B""#, segment: "A"), headers: tenant.admin)
            let errors = try #require(try response.expectProblem(.unprocessableContent)["errors"] as? [[String: Any]])
            #expect(errors.first?["message"] as? String == #"segment "B" leads back to the segment being defined: "A" → "B" → "A""#)
        }
    }

    @Test func theJSONFormIsCheckedWithJSONPaths() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let valid = try await Self.validate(client, #"{"rule_json": {"canReceive": {"_0": "sms"}}}"#, headers: tenant.admin)
            #expect(valid.status == .ok)
            #expect(try valid.json()["text"] as? String == "can receive sms")
            let invalid = try await Self.validate(
                client, #"{"rule_json": {"attribute": {"_0": {"path": [], "test": {"exists": {}}}}}}"#, headers: tenant.admin)
            let errors = try #require(try invalid.expectProblem(.unprocessableContent)["errors"] as? [[String: Any]])
            #expect(errors.first?["field"] as? String == "$.attribute._0.path")
            let neither = try await Self.validate(client, "{}", headers: tenant.admin)
            try neither.expectProblem(.unprocessableContent)
        }
    }

    @Test func viewersMayValidateButIngestKeysMayNot() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let viewer = try await client.createKey(tenant, role: "viewer")
            let ingest = try await client.createKey(tenant, role: "ingest")
            let rule = Self.body(rule: "can receive email")
            let asViewer = try await Self.validate(client, rule, headers: [.authorization: "Bearer \(viewer.token)"])
            #expect(asViewer.status == .ok)
            let asIngest = try await Self.validate(client, rule, headers: [.authorization: "Bearer \(ingest.token)"])
            try asIngest.expectProblem(.forbidden)
            let anonymous = try await Self.validate(client, rule, headers: [:])
            try anonymous.expectProblem(.unauthorized)
        }
    }
}
