import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiRuntime

/// `GET/POST /v1/topics`, `GET/PATCH/DELETE /v1/topics/{id}`, a campaign's `topic`, and
/// `GET/PUT /v1/preference-centre`.
@Suite("Topic routes")
struct TopicRouteTests {
    @Test func topicsAreCreatedReadChangedAndDeleted() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let (created, topic) = try await client.send(
                .post, "/v1/topics", tenant,
                json: #"{"key": "newsletter", "name": "Newsletter", "description": "Monthly news", "channels": ["email", "sms"]}"#
            )
            #expect(created == .created, "\(topic)")
            let id = try #require(topic["id"] as? String)
            #expect(topic["key"] as? String == "newsletter" && topic["mandatory"] as? Bool == false)
            #expect(topic["channels"] as? [String] == ["email", "sms"] && topic["description"] as? String == "Monthly news")

            let (_, service) = try await client.send(
                .post, "/v1/topics", tenant, json: #"{"key": "service", "name": "Service", "mandatory": true}"#)
            #expect(service["channels"] as? [String] == ["email"] && service["mandatory"] as? Bool == true)

            let (listed, list) = try await client.send(.get, "/v1/topics", tenant)
            #expect(listed == .ok)
            #expect((list["data"] as? [[String: Any]])?.compactMap { $0["key"] as? String } == ["newsletter", "service"])

            let (patched, changed) = try await client.send(
                .patch, "/v1/topics/\(id)", tenant, json: #"{"name": "News", "description": null, "channels": ["sms"]}"#)
            #expect(patched == .ok, "\(changed)")
            #expect(
                changed["name"] as? String == "News" && changed["description"] as? String == ""
                    && changed["channels"] as? [String] == ["sms"])
            let (_, read) = try await client.send(.get, "/v1/topics/\(id)", tenant)
            #expect(read["name"] as? String == "News" && read["key"] as? String == "newsletter")

            let (deleted, _) = try await client.send(.delete, "/v1/topics/\(id)", tenant)
            #expect(deleted == .noContent)
            let (gone, _) = try await client.send(.get, "/v1/topics/\(id)", tenant)
            #expect(gone == .notFound)
            let (again, _) = try await client.send(.delete, "/v1/topics/\(id)", tenant)
            #expect(again == .notFound)
        }
    }

    @Test func badTopicsAreProblemsNamingEachField() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let cases: [(String, [String])] = [
                (#"{"name": "No key"}"#, ["key"]),
                (#"{"key": "Big Key", "name": ""}"#, ["key", "name"]),
                (
                    #"{"key": "a", "name": "A", "mandatory": "yes", "channels": ["fax"], "colour": 1}"#,
                    ["colour", "mandatory", "channels[0]"]
                ),
                (#"{"key": "a", "name": "A", "channels": []}"#, ["channels"]),
                (#"[1]"#, []),
            ]
            for (body, fields) in cases {
                let response = try await client.execute(
                    uri: "/v1/topics", method: .post, headers: tenant.admin.with(.contentType, "application/json"),
                    body: ByteBuffer(string: body))
                let problem = try response.expectProblem(.unprocessableContent)
                let named = (problem["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []
                #expect(named == fields, "\(body): \(problem)")
            }
            let malformed = try await client.execute(
                uri: "/v1/topics", method: .post, headers: tenant.admin.with(.contentType, "application/json"),
                body: ByteBuffer(string: "{"))
            try malformed.expectProblem(.badRequest)
            // A key is the tenant's once.
            let (first, _) = try await client.send(.post, "/v1/topics", tenant, json: #"{"key": "offers", "name": "Offers"}"#)
            #expect(first == .created)
            let taken = try await client.execute(
                uri: "/v1/topics", method: .post, headers: tenant.admin.with(.contentType, "application/json"),
                body: ByteBuffer(string: #"{"key": "offers", "name": "Again"}"#))
            try taken.expectProblem(.conflict)
            let badID = try await client.execute(uri: "/v1/topics/not-a-uuid", method: .get, headers: tenant.admin)
            try badID.expectProblem(.badRequest)
            let unknown = try await client.execute(
                uri: "/v1/topics/\(UUID().uuidString.lowercased())", method: .patch,
                headers: tenant.admin.with(.contentType, "application/json"),
                body: ByteBuffer(string: #"{"name": "X"}"#))
            try unknown.expectProblem(.notFound)
        }
    }

    @Test func anotherTenantCannotSeeChangeOrDeleteATopic() async throws {
        try await withAPI { client in
            let owner = try await client.createTenant("Owner")
            let other = try await client.createTenant("Other")
            let (_, topic) = try await client.send(.post, "/v1/topics", owner, json: #"{"key": "news", "name": "News"}"#)
            let id = try #require(topic["id"] as? String)
            let (read, _) = try await client.send(.get, "/v1/topics/\(id)", other)
            #expect(read == .notFound)
            let (patched, _) = try await client.send(.patch, "/v1/topics/\(id)", other, json: #"{"name": "Mine"}"#)
            #expect(patched == .notFound)
            let (deleted, _) = try await client.send(.delete, "/v1/topics/\(id)", other)
            #expect(deleted == .notFound)
            let (_, list) = try await client.send(.get, "/v1/topics", other)
            #expect((list["data"] as? [Any])?.isEmpty == true)
            // The other tenant may use the same key for its own topic.
            let (created, _) = try await client.send(.post, "/v1/topics", other, json: #"{"key": "news", "name": "Theirs"}"#)
            #expect(created == .created)
            let (_, kept) = try await client.send(.get, "/v1/topics/\(id)", owner)
            #expect(kept["name"] as? String == "News")
        }
    }

    @Test func preferenceCentreSettingsAreReadAndSet() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let (_, defaults) = try await client.send(.get, "/v1/preference-centre", tenant)
            #expect(defaults["link_lifetime_days"] as? Int == 30 && defaults["brand_colour"] is NSNull)
            let (put, stored) = try await client.send(
                .put, "/v1/preference-centre", tenant, json: ##"{"link_lifetime_days": 7, "brand_colour": "#AA3300"}"##)
            #expect(put == .ok && stored["link_lifetime_days"] as? Int == 7 && stored["brand_colour"] as? String == "#aa3300")
            let bad = try await client.execute(
                uri: "/v1/preference-centre", method: .put, headers: tenant.admin.with(.contentType, "application/json"),
                body: ByteBuffer(string: #"{"link_lifetime_days": 0, "brand_colour": "red"}"#))
            let missing = try await client.execute(
                uri: "/v1/preference-centre", method: .put, headers: tenant.admin.with(.contentType, "application/json"),
                body: ByteBuffer(string: #"{"link_lifetime_days": 3}"#))
            try missing.expectProblem(.unprocessableContent)
            let problem = try bad.expectProblem(.unprocessableContent)
            #expect(
                (problem["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } == [
                    "link_lifetime_days", "brand_colour",
                ])
        }
    }
}
