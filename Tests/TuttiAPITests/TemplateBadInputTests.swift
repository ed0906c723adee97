import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiRuntime

@Suite("Template bad input")
struct TemplateBadInputTests {
    @Test(arguments: [
        (#"{"name": "X", "parts": {"emial": {"subject": "Hi"}}}"#, "parts.emial"),
        (#"{"name": "X", "parts": {"email": {"subjet": "Hi"}}}"#, "parts.email.subjet"),
        (#"{"name": "X", "parts": {"sms": {"text": "x"}}, "colour": "red"}"#, "colour"),
        (#"{"name": "X", "parts": {"sms": {"text": 3}}}"#, "parts.sms.text"),
        (#"{"name": "X", "parts": {"sms": {}}}"#, "parts.sms.text"),
        (#"{"name": "X", "parts": {"webhook": {}}}"#, "parts.webhook.data"),
        (#"{"name": "X", "parts": {"sms": null}}"#, "parts.sms"),
        (#"{"name": "", "parts": {"sms": {"text": "x"}}}"#, "name"),
        (#"{"parts": {"sms": {"text": "x"}}}"#, "name"),
        (#"{"name": "X"}"#, "parts"),
        (#"{"name": "X", "parts": {"sms": {"text": "x"}}, "conditions": {"gold": 1}}"#, "conditions.gold"),
        (#"{"name": "X", "parts": {"sms": {"text": "x"}}, "locales": {"de": {"sms": {"text": "x"}}}}"#, "locales.de.sms"),
        (#"{"name": "X", "parts": {"sms": {"text": "x"}}, "default_locale": "not a tag"}"#, "default_locale"),
        (#"[1, 2]"#, nil),
    ])
    func aMisshapenTemplateIsA422NamingTheField(body: String, field: String?) async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let (status, problem) = try await client.send(.post, "/v1/templates", tenant, json: body)
            #expect(status == .unprocessableContent, "\(problem)")
            #expect(problem["type"] as? String == "urn:tutti:problem:validation")
            let fields = (problem["errors"] as? [[String: Any]] ?? []).map { $0["field"] as? String }
            #expect(fields.contains(field), "\(fields)")
        }
    }

    @Test func aTemplateWithNoPartOrABadLocaleKeyDoesNotCheck() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let (empty, noPart) = try await client.send(.post, "/v1/templates", tenant, json: #"{"name": "X", "parts": {}}"#)
            #expect(empty == .unprocessableContent && noPart["type"] as? String == "urn:tutti:problem:invalid-template")
            let (badTag, locale) = try await client.send(
                .post, "/v1/templates", tenant,
                json: #"{"name": "X", "parts": {"sms": {"text": "x"}}, "locales": {"1x": {"parts": {}}}}"#)
            #expect(badTag == .unprocessableContent)
            #expect((locale["errors"] as? [[String: Any]])?.first?["field"] as? String == "locales.1x")
        }
    }

    @Test func malformedBodiesIdsAndVersionsAreRefusedWithProblems() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            try await client.execute(
                uri: "/v1/templates", method: .post, headers: tenant.admin.with(.contentType, "application/json"),
                body: ByteBuffer(string: #"{"name": "#)
            ) { try $0.expectProblem(.badRequest) }
            try await client.execute(
                uri: "/v1/templates", method: .post, headers: tenant.admin.with(.contentType, "text/plain"),
                body: ByteBuffer(string: TemplateRouteTests.v1)
            ) { try $0.expectProblem(.unsupportedMediaType) }
            try await client.execute(uri: "/v1/templates/not-a-uuid", method: .get, headers: tenant.admin) {
                try $0.expectProblem(.badRequest)
            }
            let id = try #require(try await client.template(tenant, TemplateRouteTests.v1)["id"] as? String)
            for version in ["0", "-1", "x", "99999999999"] {
                try await client.execute(uri: "/v1/templates/\(id)/versions/\(version)", method: .get, headers: tenant.admin) {
                    try $0.expectProblem(.notFound)
                }
            }
            try await client.execute(uri: "/v1/templates?limit=0", method: .get, headers: tenant.admin) {
                try $0.expectProblem(.badRequest)
            }
        }
    }

    @Test(arguments: [
        (#"{"channel": "sms"}"#, "customer_id"),
        (#"{"customer_id": "nope", "channel": "sms"}"#, "customer_id"),
        (#"{"customer_id": "CUSTOMER", "channel": "fax"}"#, "channel"),
        (#"{"customer_id": "CUSTOMER"}"#, "channel"),
        (#"{"customer_id": "CUSTOMER", "channel": "sms", "locale": "12"}"#, "locale"),
        (#"{"customer_id": "CUSTOMER", "channel": "sms", "locale": " de"}"#, "locale"),
        (#"{"customer_id": "CUSTOMER", "channel": "sms", "version": 1.5}"#, "version"),
        (#"{"customer_id": "CUSTOMER", "channel": "sms", "version": 0}"#, "version"),
        (#"{"customer_id": "CUSTOMER", "channel": "sms", "offer_id": 7}"#, "offer_id"),
        (#"{"customer_id": "CUSTOMER", "channel": "sms", "extra": true}"#, "extra"),
    ])
    func aMisshapenPreviewRequestIsA422NamingTheField(body: String, field: String) async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let customer = try await client.customer(tenant, identities: [("email", "x@example.com")])
            let id = try #require(try await client.template(tenant, TemplateRouteTests.v1)["id"] as? String)
            let (status, problem) = try await client.preview(
                tenant, id, body.replacingOccurrences(of: "CUSTOMER", with: customer))
            #expect(status == .unprocessableContent, "\(problem)")
            #expect(problem["type"] as? String == "urn:tutti:problem:validation")
            let fields = (problem["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
            #expect(fields.contains(field), "\(fields)")
        }
    }

    @Test func aViewerMayReadAndPreviewButNotWrite() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let viewer = try await client.createKey(tenant, role: "viewer")
            let headers: HTTPFields = [.authorization: "Bearer \(viewer.token)", .contentType: "application/json"]
            try await client.execute(
                uri: "/v1/templates", method: .post, headers: headers, body: ByteBuffer(string: TemplateRouteTests.v1)
            ) { try $0.expectProblem(.forbidden) }
            let customer = try await client.customer(tenant, identities: [("email", "x@example.com")])
            let id = try #require(try await client.template(tenant, TemplateRouteTests.v1)["id"] as? String)
            try await client.execute(
                uri: "/v1/templates/\(id)/preview", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"customer_id": "\#(customer)", "channel": "sms"}"#)
            ) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/templates/\(id)", method: .delete, headers: headers) {
                try $0.expectProblem(.forbidden)
            }
        }
    }

    @Test func theTenantsSegmentLimitIsAWholeNumberFrom1To255() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let (_, got) = try await client.send(.get, "/v1/tenant", tenant)
            #expect(got["sms_segment_limit"] as? Int == 3, "3 by default")
            for bad in ["0", "256", "\"3\"", "null"] {
                let (status, _) = try await client.send(.patch, "/v1/tenant", tenant, json: #"{"sms_segment_limit": \#(bad)}"#)
                #expect(status == .unprocessableContent, "\(bad) answered \(status)")
            }
            // JSONDecoder reports a fraction for an integer as corrupt data at the top: the shared body
            // reader answers 400 malformed-json for it, not 422.
            let (fraction, _) = try await client.send(.patch, "/v1/tenant", tenant, json: #"{"sms_segment_limit": 1.5}"#)
            #expect(fraction == .badRequest)
            let (status, patched) = try await client.send(.patch, "/v1/tenant", tenant, json: #"{"sms_segment_limit": 255}"#)
            #expect(status == .ok && patched["sms_segment_limit"] as? Int == 255)
        }
    }
}
