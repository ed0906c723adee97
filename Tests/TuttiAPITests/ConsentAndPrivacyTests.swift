import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiRuntime

@Suite("Consent, suppression and privacy")
struct ConsentAndPrivacyTests {
    @Test func consentChangesAreKeptWithTheirEvidenceOnTheTimeline() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let id = try await client.customer(tenant, identities: [("email", "eve@example.com")])
            let (status, answer) = try await client.send(.put, "/v1/customers/\(id)/consents/email", tenant, json: """
                {"status": "opted_in", "topic": "newsletter", "source": "signup-form", "ip": "203.0.113.9", "user_agent": "Firefox", "wording_version": "v3"}
                """)
            #expect(status == .ok)
            #expect((answer["consent"] as? [String: Any])?["status"] as? String == "opted_in")
            _ = try await client.send(.put, "/v1/customers/\(id)/consents/sms", tenant, json: #"{"status": "opted_out", "source": "STOP"}"#)
            let (_, consents) = try await client.send(.get, "/v1/customers/\(id)/consents", tenant)
            let states = (consents["data"] as? [[String: Any]] ?? []).map { "\($0["channel"]!)/\($0["topic"] as? String ?? "-")=\($0["status"]!)" }
            #expect(Set(states) == ["email/newsletter=opted_in", "sms/-=opted_out"])
            let history = try await client.timeline(tenant, id, query: "&kind=consent")
            #expect(history.count == 2)
            let evidence = try #require(history.first { $0["channel"] as? String == "email" }?["detail"] as? [String: Any])
            #expect(evidence["ip"] as? String == "203.0.113.9")
            #expect(evidence["wording_version"] as? String == "v3")

            for (uri, body) in [
                ("/v1/customers/\(id)/consents/fax", #"{"status": "opted_in"}"#),
                ("/v1/customers/\(id)/consents/email", #"{"status": "maybe"}"#),
                ("/v1/customers/\(id)/consents/email", #"{"status": "opted_in", "topic": "Bad Topic"}"#),
                ("/v1/customers/\(id)/consents/sms", #"{"status": "opted_in", "double_opt_in": true}"#),
            ] {
                let (badStatus, _) = try await client.send(.put, uri, tenant, json: body)
                #expect(badStatus == .notFound || badStatus == .unprocessableContent, "\(uri) \(body) answered \(badStatus)")
            }
        }
    }

    @Test func doubleOptInIsPendingUntilTheSignedTokenIsConfirmed() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let id = try await client.customer(tenant, identities: [("email", "fay@example.com")])
            let (_, answer) = try await client.send(.put, "/v1/customers/\(id)/consents/email", tenant, json: #"{"status": "opted_in", "double_opt_in": true}"#)
            #expect((answer["consent"] as? [String: Any])?["status"] as? String == "pending")
            let token = try #require(answer["confirmation_token"] as? String)
            let tampered = String(token.dropLast(2)) + (token.hasSuffix("AA") ? "BB" : "AA")
            for bad in [tampered, "garbage"] {
                let response = try await client.execute(uri: "/v1/consents/confirm", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"token": "\#(bad)"}"#))
                #expect(response.status == .forbidden || response.status == .badRequest)
            }
            let confirmed = try await client.execute(uri: "/v1/consents/confirm", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"token": "\#(token)"}"#))
            #expect(confirmed.status == .ok)
            #expect(try confirmed.json()["status"] as? String == "opted_in")
        }
    }

    @Test func suppressionIsSetReadAndLifted() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let (status, _) = try await client.send(.post, "/v1/suppressions", tenant, json: #"{"identity": {"type": "email", "value": "Gus@Example.com"}, "reason": "hard_bounce"}"#)
            #expect(status == .created)
            let (_, found) = try await client.send(.get, "/v1/suppressions?identity=email:gus@example.com", tenant)
            #expect((found["data"] as? [[String: Any]])?.first?["reason"] as? String == "hard_bounce")
            let (lifted, _) = try await client.send(.delete, "/v1/suppressions?identity=email:gus@example.com", tenant)
            #expect(lifted == .noContent)
            let (again, _) = try await client.send(.delete, "/v1/suppressions?identity=email:gus@example.com", tenant)
            #expect(again == .notFound)
            let (bad, _) = try await client.send(.post, "/v1/suppressions", tenant, json: #"{"identity": {"type": "email", "value": "x@example.com"}, "reason": "annoyed"}"#)
            #expect(bad == .unprocessableContent)
        }
    }

    @Test func exportHoldsEverythingAndErasureRemovesItAndBlocksReimport() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let id = try await client.customer(tenant, identities: [("email", "hal@example.com"), ("external_id", "hal-1")], attributes: #"{"plan": "gold"}"#)
            _ = try await client.ingest(tenant, "/v1/track", #"{"userId": "hal-1", "event": "Bought", "properties": {"total": 12}, "messageId": "hal-m1"}"#)
            _ = try await client.send(.put, "/v1/customers/\(id)/consents/email", tenant, json: #"{"status": "opted_in"}"#)
            let (exportStatus, export) = try await client.send(.get, "/v1/customers/\(id)/export", tenant)
            #expect(exportStatus == .ok)
            #expect((export["customer"] as? [String: Any])?["id"] as? String == id)
            #expect((export["events"] as? [[String: Any]])?.map { $0["name"] as? String } == ["Bought"])
            #expect((export["consents"] as? [Any])?.count == 1)

            let (erased, report) = try await client.send(.delete, "/v1/customers/\(id)", tenant)
            #expect(erased == .ok)
            #expect(report["identities"] as? Int == 2)
            #expect(report["events"] as? Int == 1)
            let (gone, _) = try await client.send(.get, "/v1/customers/\(id)", tenant)
            #expect(gone == .notFound)
            let (_, lookup) = try await client.send(.get, "/v1/customers?identity=email:hal@example.com", tenant)
            #expect((lookup["data"] as? [Any])?.isEmpty == true)

            let response = try await client.execute(uri: "/v1/customers", method: .post, headers: tenant.admin.with(.contentType, "application/json"),
                                                    body: ByteBuffer(string: #"{"identities": [{"type": "email", "value": "HAL@example.com"}]}"#))
            let problem = try response.expectProblem(.unprocessableContent)
            #expect(problem["type"] as? String == "urn:tutti:problem:identity-erased")
            // A replay of the erased event's messageId does not bring it back.
            let (_, replay) = try await client.ingest(tenant, "/v1/track", #"{"userId": "someone-else", "event": "Bought", "messageId": "hal-m1"}"#)
            #expect(replay["stored"] as? Int == 0)
        }
    }
}
