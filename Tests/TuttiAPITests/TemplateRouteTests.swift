import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiDomain
import TuttiRuntime
import TuttiStore
import TuttiTestSupport

@Suite("Templates")
struct TemplateRouteTests {
    static let v1 = #"{"name": "Spring", "parts": {"sms": {"text": "Spring is here"}}}"#
    static let v2 = #"{"name": "Spring sale", "parts": {"sms": {"text": "Spring sale: 10% off"}}}"#

    @Test func aTemplateIsCreatedReadAndListedWithItsDefinitionAsWritten() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let created = try await client.template(tenant, everyChannelTemplate)
            let id = try #require(created["id"] as? String)
            #expect(created["version"] as? Int == 1)
            #expect(created["default_locale"] as? String == "en")
            let (status, got) = try await client.send(.get, "/v1/templates/\(id)", tenant)
            #expect(status == .ok)
            #expect(got["name"] as? String == "Every channel")
            let parts = try #require(got["parts"] as? [String: Any])
            #expect(Set(parts.keys) == ["email", "sms", "push", "social", "webhook"])
            #expect((parts["email"] as? [String: Any])?["subject"] as? String == "For {{customer.attributes.company}}")
            #expect(got["warnings"] == nil, "warnings come only with a save")

            let (_, list) = try await client.send(.get, "/v1/templates", tenant)
            #expect((list["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [id])
        }
    }

    @Test func theListPagesWithACursor() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            var ids: [String] = []
            for _ in 0..<3 { ids.append(try #require(try await client.template(tenant, Self.v1)["id"] as? String)) }
            let (_, first) = try await client.send(.get, "/v1/templates?limit=2", tenant)
            let cursor = try #require(first["next_cursor"] as? String)
            let (_, second) = try await client.send(.get, "/v1/templates?limit=2&cursor=\(cursor)", tenant)
            let seen = [first, second].flatMap { ($0["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } }
            #expect(seen == ids)
            #expect(second["next_cursor"] is NSNull)
        }
    }

    @Test func aChangedDefinitionIsANewVersionAndAnIdenticalOneIsNot() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let id = try #require(try await client.template(tenant, Self.v1)["id"] as? String)
            let (same, unchanged) = try await client.send(
                .put, "/v1/templates/\(id)", tenant, json: #"{"parts": {"sms": {"text": "Spring is here"}}, "name": "Spring"}"#)
            #expect(same == .ok && unchanged["version"] as? Int == 1, "the same definition makes no version")
            let (changed, updated) = try await client.send(.put, "/v1/templates/\(id)", tenant, json: Self.v2)
            #expect(changed == .ok && updated["version"] as? Int == 2)
            #expect(updated["name"] as? String == "Spring sale")
            let (_, versions) = try await client.send(.get, "/v1/templates/\(id)/versions", tenant)
            let listed = versions["data"] as? [[String: Any]] ?? []
            #expect(listed.compactMap { $0["version"] as? Int } == [2, 1])
            #expect(listed.compactMap { $0["name"] as? String } == ["Spring sale", "Spring"])
        }
    }

    @Test func aPinnedVersionStaysReadableAfterLaterChangesAndAfterDeletion() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let id = try #require(try await client.template(tenant, Self.v1)["id"] as? String)
            _ = try await client.send(.put, "/v1/templates/\(id)", tenant, json: Self.v2)

            let (_, pinned) = try await client.send(.get, "/v1/templates/\(id)/versions/1", tenant)
            #expect(
                (pinned["parts"] as? [String: Any]).flatMap { $0["sms"] as? [String: Any] }?["text"] as? String
                    == "Spring is here")
            #expect(pinned["version"] as? Int == 1)

            let (deleted, _) = try await client.send(.delete, "/v1/templates/\(id)", tenant)
            #expect(deleted == .noContent)
            let (gone, _) = try await client.send(.get, "/v1/templates/\(id)", tenant)
            #expect(gone == .notFound)
            let (put, _) = try await client.send(.put, "/v1/templates/\(id)", tenant, json: Self.v1)
            #expect(put == .notFound, "a deleted template cannot be changed")
            let (again, _) = try await client.send(.delete, "/v1/templates/\(id)", tenant)
            #expect(again == .notFound)
            let (_, list) = try await client.send(.get, "/v1/templates", tenant)
            #expect((list["data"] as? [Any])?.isEmpty == true)

            let (status, afterDelete) = try await client.send(.get, "/v1/templates/\(id)/versions/1", tenant)
            #expect(status == .ok)
            #expect(afterDelete["deleted_at"] is String)
            let (_, versions) = try await client.send(.get, "/v1/templates/\(id)/versions", tenant)
            #expect((versions["data"] as? [[String: Any]])?.compactMap { $0["version"] as? Int } == [2, 1])

            // What the worker loads at send time: the pinned version, by its key.
            let tenantID = try #require(UUID(uuidString: tenant.id))
            let templateID = try #require(UUID(uuidString: id))
            let loaded = try await withTestDatabase { database in
                try await database.withTenant(tenantID, logger: TestDatabase.logger) {
                    (
                        try await $0.templateVersion(id: templateID, version: 1)?.template,
                        try await $0.templateVersion(id: templateID, version: 3)
                    )
                }
            }
            #expect(loaded.0?.parts.sms?.text == "Spring is here")
            #expect(loaded.1 == nil)
            let (missing, _) = try await client.send(.get, "/v1/templates/\(id)/versions/3", tenant)
            #expect(missing == .notFound)
        }
    }

    @Test func aSyntaxErrorIsRefusedWithItsPartLineAndColumnAndNothingIsSaved() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let (status, problem) = try await client.send(
                .post, "/v1/templates", tenant,
                json:
                    #"{"name": "Broken", "parts": {"email": {"subject": "Fine", "html": "<p>Hi</p>\n  <p>{{#customer.id}}open"}}}"#
            )
            #expect(status == .unprocessableContent)
            #expect(problem["type"] as? String == "urn:tutti:problem:invalid-template")
            let error = try #require((problem["errors"] as? [[String: Any]])?.first)
            #expect(error["field"] as? String == "email.html", "\(error)")
            #expect(error["line"] as? Int == 2, "\(error)")
            #expect(error["column"] as? Int != nil, "\(error)")
            #expect((error["message"] as? String)?.hasPrefix("syntax: ") == true, "\(error)")
            let (_, list) = try await client.send(.get, "/v1/templates", tenant)
            #expect((list["data"] as? [Any])?.isEmpty == true, "nothing was saved")
        }
    }

    @Test(arguments: [
        (#"{{cusomer.id}}"#, "unknown_variable"),
        (#"{{offer.price}}"#, "unknown_variable"),
        (#"{{#conditions.vip}}VIP{{/conditions.vip}}"#, "undefined_condition"),
        (#"{{> footer}}"#, "partial_not_available"),
    ])
    func aNameThatCannotExistIsRefused(text: String, code: String) async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let body = try JSONSerialization.data(withJSONObject: ["name": "N", "parts": ["sms": ["text": "Hi " + text]]])
            let (status, problem) = try await client.send(
                .post, "/v1/templates", tenant, json: String(decoding: body, as: UTF8.self))
            #expect(status == .unprocessableContent)
            let error = try #require((problem["errors"] as? [[String: Any]])?.first)
            #expect(error["field"] as? String == "sms.text")
            #expect(error["line"] as? Int == 1 && error["column"] as? Int == 4, "\(error)")
            #expect((error["message"] as? String)?.hasPrefix(code + ": ") == true, "\(error)")
        }
    }

    @Test func anInvalidConditionRuleIsRefusedWithItsPositionInTheRule() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let (status, problem) = try await client.send(
                .post, "/v1/templates", tenant,
                json: #"{"name": "C", "parts": {"sms": {"text": "x"}}, "conditions": {"gold": "attributes.plan = "}}"#)
            #expect(status == .unprocessableContent)
            let error = try #require((problem["errors"] as? [[String: Any]])?.first)
            #expect(error["field"] as? String == "conditions.gold")
            #expect((error["message"] as? String)?.hasPrefix("invalid_condition: ") == true, "\(error)")
            #expect(error["line"] as? Int == 1)
        }
    }

    @Test func aConditionMayNameASegmentOfTheTenant() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            _ = try await client.segment(tenant, name: "VIPs", rule: #"attributes.plan = "gold""#)
            let saved = try await client.template(
                tenant, #"{"name": "C", "parts": {"sms": {"text": "x"}}, "conditions": {"vip": "in segment \"VIPs\""}}"#)
            #expect(saved["version"] as? Int == 1)
            let (status, _) = try await client.send(
                .post, "/v1/templates", tenant,
                json: #"{"name": "C", "parts": {"sms": {"text": "x"}}, "conditions": {"vip": "in segment \"Nobody\""}}"#)
            #expect(status == .unprocessableContent, "a segment the tenant does not have")
        }
    }

    @Test func anAttributeNoCustomerHasIsAWarningNotAnError() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            _ = try await client.customer(tenant, identities: [("email", "a@example.com")], attributes: #"{"first_name": "Ada"}"#)
            let saved = try await client.template(
                tenant,
                #"{"name": "W", "parts": {"email": {"subject": "Hi {{customer.attributes.first_name}}", "html": "<b>{{customer.attributes.tier}}</b>"}}}"#
            )
            let warnings = try #require(saved["warnings"] as? [[String: Any]])
            #expect(warnings.count == 1, "\(warnings)")
            #expect(warnings.first?["part"] as? String == "email.html")
            #expect(warnings.first?["line"] as? Int == 1 && warnings.first?["column"] as? Int == 4)
            #expect((warnings.first?["message"] as? String)?.contains("tier") == true)
        }
    }

    @Test func anSMSPartReportsItsEncodingAndSegmentsAndWarnsAboveTheTenantsLimit() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let (patched, answer) = try await client.send(.patch, "/v1/tenant", tenant, json: #"{"sms_segment_limit": 1}"#)
            #expect(patched == .ok && answer["sms_segment_limit"] as? Int == 1)
            let long = String(repeating: "a", count: 161)
            let saved = try await client.template(
                tenant,
                #"{"name": "S", "parts": {"sms": {"text": "\#(long){{customer.id}}"}}, "locales": {"ru": {"parts": {"sms": {"text": "Привет"}}}}}"#
            )
            let sms = try #require(saved["sms"] as? [[String: Any]])
            #expect(sms.count == 2)
            #expect(sms.first?["locale"] as? String == "en" && sms.first?["encoding"] as? String == "GSM-7")
            #expect(sms.first?["segments"] as? Int == 2)
            #expect(sms.last?["locale"] as? String == "ru" && sms.last?["encoding"] as? String == "UCS-2")
            #expect(sms.last?["segments"] as? Int == 1)
            let warnings = saved["warnings"] as? [[String: Any]] ?? []
            #expect(warnings.map { $0["part"] as? String } == ["sms.text"], "\(warnings)")
        }
    }
}
