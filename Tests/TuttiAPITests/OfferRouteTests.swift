import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiRuntime

extension TestClientProtocol {
    /// Creates an offer from its JSON and returns its id.
    func offer(_ tenant: CreatedTenant, _ json: String) async throws -> String {
        let (status, body) = try await send(.post, "/v1/offers", tenant, json: json)
        try #require(status == .created, "offer create answered \(status): \(body)")
        return try #require(body["id"] as? String)
    }

    /// Uploads codes with `contentType` and answers the status and body.
    func uploadCodes(_ tenant: CreatedTenant, _ id: String, _ text: String, contentType: String = "text/plain") async throws -> (
        HTTPResponse.Status, [String: Any]
    ) {
        let response = try await execute(
            uri: "/v1/offers/\(id)/codes", method: .post, headers: tenant.admin.with(.contentType, contentType),
            body: ByteBuffer(string: text))
        return (response.status, (try? response.json()) ?? [:])
    }
}

@Suite("Offers")
struct OfferRouteTests {
    static let spring = #"""
        {"code": "SPRING-10", "name": "Spring 10%", "description": "Ten percent off", "priority": 80, "value": 10,
         "currency": "EUR", "per_customer_limit": 1, "total_cap": 1000, "weight": 1.5,
         "starts_at": "2026-03-01T00:00:00Z", "ends_at": "2036-03-01T00:00:00Z",
         "eligibility": "attributes.plan = \"gold\"",
         "creative": {"email": {"headline": "Spring for {{customer.attributes.name}}", "url": "https://example.com/s"},
                      "sms": {"text": "Spring: {{offer.code}}"}}}
        """#

    @Test func anOfferIsCreatedReadListedPatchedAndDeleted() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let id = try await client.offer(tenant, Self.spring)
            let (_, got) = try await client.send(.get, "/v1/offers/\(id)", tenant)
            #expect(got["code"] as? String == "SPRING-10" && got["priority"] as? Int == 80 && got["currency"] as? String == "EUR")
            #expect(got["eligibility"] as? String == #"attributes.plan = "gold""#)
            #expect(got["given"] as? Int == 0)
            #expect(got["codes"] as? [String: Int] == ["total": 0, "assigned": 0, "left": 0])
            #expect((got["creative"] as? [String: [String: String]])?["sms"] == ["text": "Spring: {{offer.code}}"])

            let (patched, changed) = try await client.send(
                .patch, "/v1/offers/\(id)", tenant,
                json: #"{"priority": 20, "eligibility": null, "creative": {"sms": null, "push": {"title": "Hi"}}}"#)
            #expect(patched == .ok, "\(changed)")
            #expect(
                changed["priority"] as? Int == 20 && changed["eligibility"] is NSNull
                    && changed["name"] as? String == "Spring 10%")
            #expect((changed["creative"] as? [String: Any]).map { Set($0.keys) } == ["email", "push"])

            let second = try await client.offer(tenant, #"{"code": "B", "name": "Second"}"#)
            let (_, page1) = try await client.send(.get, "/v1/offers?limit=1", tenant)
            #expect((page1["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [id])
            let cursor = try #require(page1["next_cursor"] as? String)
            let (_, page2) = try await client.send(.get, "/v1/offers?limit=1&cursor=\(cursor)", tenant)
            #expect((page2["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [second])
            #expect(page2["next_cursor"] is NSNull)

            let (deleted, _) = try await client.send(.delete, "/v1/offers/\(id)", tenant)
            #expect(deleted == .noContent)
            let (gone, problem) = try await client.send(.get, "/v1/offers/\(id)", tenant)
            #expect(gone == .notFound && problem["type"] as? String == "urn:tutti:problem:not-found")
            _ = try await client.offer(tenant, #"{"code": "spring-10", "name": "Code free again"}"#)
        }
    }

    @Test func badOffersAnswer422NamingTheField() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            func refused(_ json: String) async throws -> [String: Any] {
                let (status, problem) = try await client.send(.post, "/v1/offers", tenant, json: json)
                #expect(status == .unprocessableContent, "\(json) answered \(status)")
                return problem
            }
            let rule = try await refused(#"{"code": "A", "name": "A", "eligibility": "attributes.plan =\n  and x"}"#)
            #expect(rule["type"] as? String == "urn:tutti:problem:invalid-rule")
            let ruleError = try #require((rule["errors"] as? [[String: Any]])?.first)
            #expect(
                ruleError["field"] as? String == "eligibility" && ruleError["line"] as? Int == 2
                    && ruleError["column"] as? Int == 3)

            for (json, field) in [
                (#"{"code": "A", "name": "A", "value": 5, "currency": "EURO"}"#, "currency"),
                (#"{"code": "A", "name": "A", "priority": 101}"#, "priority"),
                (#"{"code": "A", "name": "A", "priority": -1}"#, "priority"),
                (
                    #"{"code": "A", "name": "A", "starts_at": "2026-05-02T00:00:00Z", "ends_at": "2026-05-01T00:00:00Z"}"#,
                    "ends_at"
                ),
                (#"{"code": "A", "name": "A", "surprise": true}"#, "surprise"),
                (#"{"code": "A", "name": "A", "creative": {"fax": {"text": "x"}}}"#, "creative.fax"),
            ] {
                let problem = try await refused(json)
                #expect(problem["type"] as? String == "urn:tutti:problem:validation")
                #expect((problem["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } == [field], "\(json)")
            }

            let creative = try await refused(
                #"{"code": "A", "name": "A", "creative": {"sms": {"text": "ok"}, "email": {"body": "Hi\n{{#a}} x"}}}"#)
            #expect(creative["type"] as? String == "urn:tutti:problem:invalid-creative")
            let creativeError = try #require((creative["errors"] as? [[String: Any]])?.first)
            #expect(creativeError["field"] as? String == "creative.email.body")
            #expect(creativeError["line"] as? Int == 2, "\(creativeError)")
            #expect(creativeError["column"] is Int)

            let (listStatus, list) = try await client.send(.get, "/v1/offers", tenant)
            #expect(listStatus == .ok && (list["data"] as? [Any])?.isEmpty == true, "nothing was saved")
        }
    }

    @Test func codesAreUniquePerTenantAndUnknownIdsAre404() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let id = try await client.offer(tenant, #"{"code": "VIP", "name": "VIP"}"#)
            let (conflict, problem) = try await client.send(
                .post, "/v1/offers", tenant, json: #"{"code": "vip", "name": "Again"}"#)
            #expect(conflict == .conflict && problem["type"] as? String == "urn:tutti:problem:offer-code-taken")
            let other = try await client.offer(tenant, #"{"code": "OTHER", "name": "Other"}"#)
            let (patchConflict, _) = try await client.send(.patch, "/v1/offers/\(other)", tenant, json: #"{"code": "VIP"}"#)
            #expect(patchConflict == .conflict)
            _ = try await client.offer(try await client.createTenant("Other"), #"{"code": "VIP", "name": "Theirs"}"#)

            let missing = UUID().uuidString.lowercased()
            for (method, path) in [
                (HTTPRequest.Method.get, "/v1/offers/\(missing)"), (.delete, "/v1/offers/\(missing)"),
            ] {
                let (status, _) = try await client.send(method, path, tenant)
                #expect(status == .notFound)
            }
            let (patchMissing, _) = try await client.send(.patch, "/v1/offers/\(missing)", tenant, json: #"{"name": "x"}"#)
            #expect(patchMissing == .notFound)
            let (codesMissing, _) = try await client.uploadCodes(tenant, missing, "A\n")
            #expect(codesMissing == .notFound)
            let (badID, badProblem) = try await client.send(.get, "/v1/offers/not-a-uuid", tenant)
            #expect(badID == .badRequest && badProblem["type"] as? String == "urn:tutti:problem:invalid-id")
            #expect(try await client.send(.get, "/v1/offers/\(id)", tenant).0 == .ok)
        }
    }

    @Test func aCodePoolTakesLinesOrNDJSONAndReportsDuplicates() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let id = try await client.offer(tenant, #"{"code": "POOL", "name": "Pool"}"#)
            let (status, first) = try await client.uploadCodes(tenant, id, "A-1\nA-2\r\n\nA-1\nA-3\n")
            #expect(status == .ok, "\(first)")
            #expect(
                first["added"] as? Int == 3 && first["duplicates"] as? [String] == ["A-1"]
                    && first["duplicate_count"] as? Int == 1)
            let (_, second) = try await client.uploadCodes(
                tenant, id, #"{"code": "A-3"}"# + "\n" + #"{"code": "B-1"}"#, contentType: "application/x-ndjson")
            #expect(second["added"] as? Int == 1 && second["duplicates"] as? [String] == ["A-3"])
            #expect(second["codes"] as? [String: Int] == ["total": 4, "assigned": 0, "left": 4])
            let (_, got) = try await client.send(.get, "/v1/offers/\(id)", tenant)
            #expect(got["codes"] as? [String: Int] == ["total": 4, "assigned": 0, "left": 4])

            let (bad, problem) = try await client.uploadCodes(tenant, id, "OK\nnot ok\n")
            #expect(bad == .unprocessableContent && (problem["errors"] as? [[String: Any]])?.first?["line"] as? Int == 2)
            let (empty, _) = try await client.uploadCodes(tenant, id, "\n\n")
            #expect(empty == .unprocessableContent)
            let (wrongType, _) = try await client.uploadCodes(tenant, id, "A", contentType: "text/csv")
            #expect(wrongType == .unsupportedMediaType)
            let (_, after) = try await client.send(.get, "/v1/offers/\(id)", tenant)
            #expect((after["codes"] as? [String: Int])?["total"] == 4, "refused uploads added nothing")
        }
    }
}
