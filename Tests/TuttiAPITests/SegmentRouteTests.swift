import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiRuntime

extension TestClientProtocol {
    /// Creates a segment and returns its id.
    func segment(_ tenant: CreatedTenant, name: String, rule: String) async throws -> String {
        let body = try JSONSerialization.data(withJSONObject: ["name": name, "rule": rule])
        let (status, json) = try await send(.post, "/v1/segments", tenant, json: String(decoding: body, as: UTF8.self))
        try #require(status == .created, "segment create answered \(status): \(json)")
        return try #require(json["id"] as? String)
    }

    func putSegment(_ tenant: CreatedTenant, _ id: String, name: String, rule: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        let body = try JSONSerialization.data(withJSONObject: ["name": name, "rule": rule])
        return try await send(.put, "/v1/segments/\(id)", tenant, json: String(decoding: body, as: UTF8.self))
    }
}

@Suite("Segments")
struct SegmentRouteTests {
    @Test func aSegmentIsCreatedReadListedAndVersionedWhenItsRuleChanges() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let id = try await client.segment(tenant, name: "Germans", rule: #"attributes.country = "DE""#)
            let (_, got) = try await client.send(.get, "/v1/segments/\(id)", tenant)
            #expect(got["name"] as? String == "Germans")
            #expect(got["version"] as? Int == 1)
            #expect(got["rule"] as? String == #"attributes.country = "DE""#)
            #expect(got["rule_json"] is [String: Any])

            let (same, unchanged) = try await client.putSegment(tenant, id, name: "Germans", rule: #"attributes.country = "DE""#)
            #expect(same == .ok && unchanged["version"] as? Int == 1, "saving the same rule makes no version")
            let (changed, updated) = try await client.putSegment(tenant, id, name: "German adults", rule: #"attributes.country = "DE" and attributes.age >= 18"#)
            #expect(changed == .ok && updated["version"] as? Int == 2)
            let (_, versions) = try await client.send(.get, "/v1/segments/\(id)/versions", tenant)
            #expect((versions["data"] as? [[String: Any]])?.compactMap { $0["version"] as? Int } == [2, 1])

            let (_, list) = try await client.send(.get, "/v1/segments", tenant)
            #expect((list["data"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["German adults"])
        }
    }

    @Test func anInvalidRuleIsRefusedWithLineAndColumn() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let (status, problem) = try await client.send(.post, "/v1/segments", tenant, json: #"{"name": "Broken", "rule": "attributes.country =\n  and attributes.age > 3"}"#)
            #expect(status == .unprocessableContent)
            #expect(problem["type"] as? String == "urn:tutti:problem:invalid-rule")
            let error = try #require((problem["errors"] as? [[String: Any]])?.first)
            #expect(error["line"] as? Int == 2 && error["column"] as? Int == 3, "\(error)")
            #expect((error["message"] as? String)?.isEmpty == false)
            let (_, list) = try await client.send(.get, "/v1/segments", tenant)
            #expect((list["data"] as? [Any])?.isEmpty == true, "nothing was saved")
        }
    }

    @Test func namesAreUniquePerTenantRegardlessOfCase() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            _ = try await client.segment(tenant, name: "VIP", rule: "attributes.vip = true")
            let (status, problem) = try await client.send(.post, "/v1/segments", tenant, json: #"{"name": "vip", "rule": "attributes.vip = true"}"#)
            #expect(status == .conflict)
            #expect(problem["type"] as? String == "urn:tutti:problem:segment-name-taken")
            let other = try await client.createTenant("Other")
            _ = try await client.segment(other, name: "VIP", rule: "attributes.vip = true")
        }
    }

    @Test func segmentsThatNameAnotherFollowItsChangesAndCyclesAreRefused() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let vip = try await client.segment(tenant, name: "vip", rule: "attributes.vip = true")
            let vipDE = try await client.segment(tenant, name: "vip-de", rule: #"in segment "vip" and attributes.country = "DE""#)
            let (_, before) = try await client.send(.get, "/v1/segments/\(vipDE)", tenant)
            #expect((before["references"] as? [[String: Any]])?.first?["version"] as? Int == 1)

            let (status, _) = try await client.putSegment(tenant, vip, name: "vip", rule: "attributes.vip = true or attributes.spend > 1000")
            #expect(status == .ok)
            let (_, after) = try await client.send(.get, "/v1/segments/\(vipDE)", tenant)
            #expect(after["version"] as? Int == 2, "the dependant got a new version inlining vip's new rule")
            #expect((after["references"] as? [[String: Any]])?.first?["version"] as? Int == 2)

            let (cycle, problem) = try await client.putSegment(tenant, vip, name: "vip", rule: #"in segment "vip-de""#)
            #expect(cycle == .unprocessableContent)
            #expect(((problem["errors"] as? [[String: Any]])?.first?["message"] as? String)?.contains("vip") == true)
            let (renamed, _) = try await client.putSegment(tenant, vip, name: "very important", rule: "attributes.vip = true")
            #expect(renamed == .conflict, "a segment others name cannot be renamed")

            let (inUse, _) = try await client.send(.delete, "/v1/segments/\(vip)", tenant)
            #expect(inUse == .conflict)
            #expect(try await client.send(.delete, "/v1/segments/\(vipDE)", tenant).0 == .noContent)
            #expect(try await client.send(.delete, "/v1/segments/\(vip)", tenant).0 == .noContent)
            #expect(try await client.send(.get, "/v1/segments/\(vip)", tenant).0 == .notFound)
        }
    }

    @Test func aRuleMayBeSentInItsJSONForm() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let (_, first) = try await client.send(.post, "/v1/segments", tenant, json: #"{"name": "text", "rule": "attributes.age >= 18"}"#)
            let json = try JSONSerialization.data(withJSONObject: ["name": "json", "rule": try #require(first["rule_json"])])
            let (status, second) = try await client.send(.post, "/v1/segments", tenant, json: String(decoding: json, as: UTF8.self))
            #expect(status == .created, "\(second)")
            #expect(second["rule"] as? String == "attributes.age >= 18")
        }
    }

    @Test func anotherTenantAndAViewerCannotTouchASegment() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let id = try await client.segment(tenant, name: "mine", rule: "attributes.vip = true")
            let other = try await client.createTenant("Other")
            #expect(try await client.send(.get, "/v1/segments/\(id)", other).0 == .notFound)
            #expect(try await client.putSegment(other, id, name: "mine", rule: "attributes.vip = false").0 == .notFound)
            #expect(try await client.send(.delete, "/v1/segments/\(id)", other).0 == .notFound)
            let viewer = try await client.createKey(tenant, role: "viewer")
            try await client.execute(
                uri: "/v1/segments", method: .post, headers: [.authorization: "Bearer \(viewer.token)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"name": "x", "rule": "attributes.vip = true"}"#)
            ) { _ = try $0.expectProblem(.forbidden) }
        }
    }
}
