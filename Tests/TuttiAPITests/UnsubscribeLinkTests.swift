import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing
import TuttiDomain
import TuttiRuntime
import TuttiStore
import TuttiTestSupport

/// The public unsubscribe (`/u/{token}`, RFC 8058 one-click) and preference centre
/// (`/p/{token}`) routes over the real API and database: what changes the consent ledger, what
/// does not, and every bad token refused with a page, never a 500.
@Suite("Unsubscribe links")
struct UnsubscribeLinkTests {
    static let oneClick: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    @Test func aGetChangesNothingAndAOneClickPostOptsOutOfTheTopicAtOnce() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant("Shop")
            let customer = try await client.customer(tenant, identities: [("email", "ann@example.com")])
            _ = try await client.send(.post, "/v1/topics", tenant, json: #"{"key": "news", "name": "News"}"#)
            let token = try await Self.sign(tenant) {
                .unsubscribe(tenantID: $0, customerID: UUID(uuidString: customer)!, messageID: UUID(), topic: "news")
            }

            let page = try await client.execute(uri: "/u/\(token)", method: .get, headers: [:])
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let html = String(buffer: page.body)
            #expect(html.contains(#"name="List-Unsubscribe" value="One-Click""#) && html.contains("Shop"))
            #expect(try await Self.consents(client, tenant, customer).isEmpty, "a GET changed consent")

            // A POST without the one-click body is not an unsubscribe.
            let empty = try await client.execute(
                uri: "/u/\(token)", method: .post, headers: Self.oneClick, body: ByteBuffer(string: "x=1"))
            #expect(empty.status == .badRequest)
            #expect(try await Self.consents(client, tenant, customer).isEmpty)

            let done = try await client.execute(
                uri: "/u/\(token)", method: .post, headers: Self.oneClick, body: ByteBuffer(string: "List-Unsubscribe=One-Click"))
            #expect(done.status == .ok && done.headers[.location] == nil)
            let consents = try await Self.consents(client, tenant, customer)
            #expect(consents.count == 1)
            #expect(consents.first?["channel"] as? String == "email" && consents.first?["topic"] as? String == "news")
            #expect(
                consents.first?["status"] as? String == "opted_out"
                    && consents.first?["source"] as? String == "one_click_unsubscribe")
            // A provider's retry records nothing new; the timeline has one Unsubscribed event.
            let again = try await client.execute(
                uri: "/u/\(token)", method: .post, headers: Self.oneClick, body: ByteBuffer(string: "List-Unsubscribe=One-Click"))
            #expect(again.status == .ok)
            let timeline = try await client.timeline(tenant, customer)
            #expect(
                timeline.filter { $0["kind"] as? String == "event" && $0["title"] as? String == "Unsubscribed" }.count == 1,
                "\(timeline)")
            #expect(timeline.filter { $0["kind"] as? String == "consent" }.count == 1, "\(timeline)")
        }
    }

    @Test func aMandatoryTopicsMessageOptsOutOfTheChannelsMarketingAsAWhole() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let customer = try await client.customer(tenant, identities: [("email", "bo@example.com")])
            _ = try await client.send(
                .post, "/v1/topics", tenant, json: #"{"key": "service", "name": "Service", "mandatory": true}"#)
            let token = try await Self.sign(tenant) {
                .unsubscribe(tenantID: $0, customerID: UUID(uuidString: customer)!, messageID: UUID(), topic: "service")
            }
            let done = try await client.execute(
                uri: "/u/\(token)", method: .post, headers: Self.oneClick, body: ByteBuffer(string: "List-Unsubscribe=One-Click"))
            #expect(done.status == .ok)
            let consents = try await Self.consents(client, tenant, customer)
            #expect(consents.map(Self.describe) == ["email//opted_out"])
        }
    }

    @Test func tamperedForeignAndMalformedTokensAreRefusedWithAPage() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let other = try await client.createTenant()
            let customer = try await client.customer(tenant, identities: [("email", "cy@example.com")])
            let customerID = UUID(uuidString: customer)!
            let token = try await Self.sign(tenant) {
                .unsubscribe(tenantID: $0, customerID: customerID, messageID: UUID(), topic: "")
            }
            // Names the first tenant, signed with the other's key.
            let tenantID = UUID(uuidString: tenant.id)!
            let foreign = try await Self.sign(other) { _ in
                .unsubscribe(tenantID: tenantID, customerID: customerID, messageID: UUID(), topic: "")
            }
            var bytes = Array(token)
            let middle = bytes.count / 2
            bytes[middle] = bytes[middle] == "A" ? "B" : "A"
            let tampered = String(bytes)
            for bad in [tampered, foreign, "not-a-token", String(repeating: "A", count: 600), "%00", token + "A"] {
                let get = try await client.execute(uri: "/u/\(bad)", method: .get, headers: [:])
                #expect(get.status == .notFound, "GET \(bad) answered \(get.status)")
                let post = try await client.execute(
                    uri: "/u/\(bad)", method: .post, headers: Self.oneClick,
                    body: ByteBuffer(string: "List-Unsubscribe=One-Click"))
                #expect(post.status == .notFound, "POST \(bad) answered \(post.status)")
                #expect(post.headers[.contentType] == "text/html; charset=utf-8")
                let preferences = try await client.execute(uri: "/p/\(bad)", method: .get, headers: [:])
                #expect(preferences.status == .notFound)
            }
            // An unsubscribe token is not a preference token, nor the other way round.
            let wrongKind = try await client.execute(uri: "/p/\(token)", method: .get, headers: [:])
            #expect(wrongKind.status == .notFound)
            #expect(try await Self.consents(client, tenant, customer).isEmpty)
        }
    }

    @Test func thePreferenceCentreShowsChoicesSavesChangesWithACSRFTokenAndExpires() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant("Laden")
            let customer = try await client.customer(
                tenant, identities: [("email", "dora@example.com"), ("phone", "+41791234567")],
                attributes: #"{"locale": "de-CH"}"#)
            let customerID = UUID(uuidString: customer)!
            _ = try await client.send(
                .post, "/v1/topics", tenant, json: #"{"key": "news", "name": "Neuigkeiten", "channels": ["email", "sms"]}"#)
            _ = try await client.send(
                .post, "/v1/topics", tenant, json: #"{"key": "service", "name": "Service", "mandatory": true}"#)
            let expired = try await Self.sign(tenant) {
                .preferences(tenantID: $0, customerID: customerID, expires: Date().addingTimeInterval(-60))
            }
            #expect(try await client.execute(uri: "/p/\(expired)", method: .get, headers: [:]).status == .notFound)

            let token = try await Self.sign(tenant) {
                .preferences(tenantID: $0, customerID: customerID, expires: Date().addingTimeInterval(3600))
            }
            let page = try await client.execute(uri: "/p/\(token)", method: .get, headers: [:])
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains(#"<html lang="de">"#) && html.contains("Laden") && html.contains("Ihre Einstellungen"))
            #expect(html.contains(#"<label for="topic-news-sms">"#) && html.contains(#"id="topic-service-email""#))
            #expect(html.contains("disabled") && !html.contains("<script"))
            let csrf = try #require(
                html.range(of: #"name="csrf" value="([^"]+)""#, options: .regularExpression).map { String(html[$0]) }?
                    .split(separator: "\"")[3])

            // Without the CSRF token nothing is saved.
            let forged = try await client.execute(
                uri: "/p/\(token)", method: .post, headers: Self.oneClick,
                body: ByteBuffer(string: "channel.email=on&everything=on"))
            #expect(forged.status == .forbidden)
            #expect(try await Self.consents(client, tenant, customer).isEmpty)

            // Untick news by SMS, keep the rest: one change in the ledger.
            let body = "csrf=\(csrf)&channel.email=on&channel.sms=on&topic.news.email=on"
            let saved = try await client.execute(
                uri: "/p/\(token)", method: .post, headers: Self.oneClick, body: ByteBuffer(string: body))
            #expect(saved.status == .ok)
            #expect(String(buffer: saved.body).contains("Ihre Einstellungen wurden gespeichert."))
            let consents = try await Self.consents(client, tenant, customer)
            #expect(
                consents.map { Self.describe($0) + "/\($0["source"] as? String ?? "")" } == [
                    "sms/news/opted_out/preference_centre"
                ])

            // Everything: both channels out as a whole.
            let all = try await client.execute(
                uri: "/p/\(token)", method: .post, headers: Self.oneClick, body: ByteBuffer(string: "csrf=\(csrf)&everything=on"))
            #expect(all.status == .ok)
            let after = try await Self.consents(client, tenant, customer).map(Self.describe)
            #expect(after == ["email//opted_out", "sms//opted_out", "sms/news/opted_out"])
        }
    }

    /// A token of `tenant`'s signed with its link key.
    static func sign(_ tenant: CreatedTenant, _ make: @Sendable @escaping (UUID) -> LinkToken) async throws -> String {
        let id = UUID(uuidString: tenant.id)!
        return try await withTestDatabase { database in
            try await database.withTenant(id, logger: TestDatabase.logger) { session in
                make(id).signed(with: try await session.linkKey(keyring: .development))
            }
        }
    }

    /// `channel/topic/status` of a consent as the API shows it.
    static func describe(_ consent: [String: Any]) -> String {
        "\(consent["channel"] as? String ?? "")/\(consent["topic"] as? String ?? "")/\(consent["status"] as? String ?? "")"
    }

    static func consents(_ client: any TestClientProtocol, _ tenant: CreatedTenant, _ customer: String) async throws -> [[String:
        Any]]
    {
        let (status, json) = try await client.send(.get, "/v1/customers/\(customer)/consents", tenant)
        try #require(status == .ok, "consents answered \(status)")
        return json["data"] as? [[String: Any]] ?? []
    }
}
