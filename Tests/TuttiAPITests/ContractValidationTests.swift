import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiRuntime

/// Requests the OpenAPI document forbids are refused with a 422 naming the field, as the
/// document says, where the server used to take them (found by ops/test-contract).
@Suite("The server refuses what the OpenAPI document forbids")
struct ContractValidationTests {
    @Test func tenantUpdateRefusesNullDefaultCountryAndName() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            for field in ["default_country", "name"] {
                try await client.execute(
                    uri: "/v1/tenant", method: .patch, headers: tenant.admin.with(.contentType, "application/json"),
                    body: ByteBuffer(string: #"{"\#(field)": null}"#)
                ) { response throws in
                    let json = try response.expectProblem(.unprocessableContent)
                    #expect((json["errors"] as? [[String: Any]])?.first?["field"] as? String == field)
                }
            }
            // Empty still clears the country, as documented.
            try await client.execute(
                uri: "/v1/tenant", method: .patch, headers: tenant.admin.with(.contentType, "application/json"),
                body: ByteBuffer(string: #"{"default_country": ""}"#)
            ) { #expect($0.status == .ok) }
        }
    }

    @Test func batchRefusesAContextThatIsNotAnObjectAndASentAtThatIsNoDate() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let ingest = try await client.createKey(tenant, role: "ingest")
            let headers: HTTPFields = [.authorization: "Bearer \(ingest.token)", .contentType: "application/json"]
            let message = #"{"type": "track", "userId": "u1", "event": "E"}"#
            let cases = [
                (#"{"batch": [\#(message)], "context": [null, null]}"#, "context"),
                (#"{"batch": [\#(message)], "context": "web"}"#, "context"),
                (#"{"batch": [\#(message)], "sentAt": "yesterday"}"#, "sentAt"),
                (#"{"batch": [\#(message)], "sentAt": 5}"#, "sentAt"),
            ]
            for (body, field) in cases {
                try await client.execute(uri: "/v1/batch", method: .post, headers: headers, body: ByteBuffer(string: body)) {
                    response throws in
                    let json = try response.expectProblem(.unprocessableContent)
                    #expect((json["errors"] as? [[String: Any]])?.map { $0["field"] as? String } == [field], "\(body)")
                }
            }
            for fine in [
                #"{"batch": [\#(message)], "context": null, "sentAt": "2026-11-24T01:00:00Z"}"#,
                #"{"batch": [\#(message)], "sentAt": ""}"#,
            ] {
                try await client.execute(uri: "/v1/batch", method: .post, headers: headers, body: ByteBuffer(string: fine)) {
                    #expect($0.status == .ok, "\(fine)")
                }
            }
        }
    }

    @Test func aHugeNumberAsUserIdIsReadAsTextNotACrash() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let ingest = try await client.createKey(tenant, role: "ingest")
            let headers: HTTPFields = [.authorization: "Bearer \(ingest.token)", .contentType: "application/json"]
            try await client.execute(
                uri: "/v1/track", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"userId": 1e300, "event": "E"}"#)
            ) { #expect($0.status == .ok) }
        }
    }
}

extension ContractValidationTests {
    @Test func aMalformedConfirmationTokenIsAnInvalidTokenLikeAForgedOne() async throws {
        try await withAPI { client in
            for token in ["garbage", "a.b", ""] {
                try await client.execute(
                    uri: "/v1/consents/confirm", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"token": "\#(token)"}"#)
                ) { response throws in
                    let json = try response.expectProblem(.forbidden)
                    #expect(json["type"] as? String == "urn:tutti:problem:invalid-token")
                }
            }
        }
    }

    @Test func aLookupByIdentityStillChecksLimitAndCursor() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            for query in ["limit=-5", "limit=0", "cursor=%F3%B5%BC%8D"] {
                try await client.execute(
                    uri: "/v1/customers?identity=email:nobody@example.com&\(query)", method: .get, headers: tenant.admin
                ) { response throws in
                    let json = try response.expectProblem(.badRequest)
                    #expect(json["type"] as? String == "urn:tutti:problem:invalid-query")
                }
            }
        }
    }
}

extension ContractValidationTests {
    @Test func optionalMembersSentAsNullAreRefusedNamingTheMember() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let customer = try await client.customer(tenant, identities: [("email", "nora@example.com")])
            let cases: [(HTTPRequest.Method, String, String, String)] = [
                (.patch, "/v1/api-keys/\(tenant.adminKeyID)", #"{"name": null}"#, "name"),
                (.patch, "/v1/customers/\(customer)", #"{"attributes": null}"#, "attributes"),
                (.put, "/v1/customers/\(customer)/consents/email", #"{"status": "opted_in", "source": null}"#, "source"),
                (.post, "/v1/rules/validate", #"{"rule": "true", "rule_json": null}"#, "rule_json"),
                (.patch, "/v1/customer-value", #"{"event_name": null}"#, "event_name"),
            ]
            for (method, uri, body, field) in cases {
                try await client.execute(
                    uri: uri, method: method, headers: tenant.admin.with(.contentType, "application/json"),
                    body: ByteBuffer(string: body)
                ) { response throws in
                    let json = try response.expectProblem(.unprocessableContent)
                    #expect((json["errors"] as? [[String: Any]])?.first?["field"] as? String == field, "\(method) \(uri)")
                }
            }
        }
    }

    @Test func aChannelBodyThatIsNotAnObjectIsMalformedJSON() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            try await client.execute(
                uri: "/v1/channels", method: .post, headers: tenant.admin.with(.contentType, "application/json"),
                body: ByteBuffer(string: "[null, null]")
            ) { response throws in
                let json = try response.expectProblem(.badRequest)
                #expect(json["type"] as? String == "urn:tutti:problem:malformed-json")
            }
        }
    }
}

extension ContractValidationTests {
    @Test func attributesHoldingNULAreA422NotA500() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            try await client.execute(
                uri: "/v1/customers", method: .post, headers: tenant.admin.with(.contentType, "application/json"),
                body: ByteBuffer(
                    string:
                        #"{"identities": [{"type": "email", "value": "nul@example.com"}], "attributes": {"note": ["a\u0000b"]}}"#)
            ) { response throws in
                let json = try response.expectProblem(.unprocessableContent)
                #expect((json["errors"] as? [[String: Any]])?.first?["field"] as? String == "attributes.note")
            }
        }
    }

    @Test func aTimestampAndSentAtMillenniaApartStoreTheTimestampNotA500() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let ingest = try await client.createKey(tenant, role: "ingest")
            let body =
                #"{"userId": "skew", "name": "Home", "timestamp": "0165-07-14T23:33:35.9Z", "sentAt": "7881-11-05T12:10:49.62014Z"}"#
            try await client.execute(
                uri: "/v1/screen", method: .post,
                headers: [.authorization: "Bearer \(ingest.token)", .contentType: "application/json"],
                body: ByteBuffer(string: body)
            ) { #expect($0.status == .ok) }
        }
    }
}

extension ContractValidationTests {
    @Test func aMentionWhoseTextHoldsNULIsA422NotA500() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let body = #"{"network": "x", "handle": "@nul", "text": "a\u0000b"}"#
            try await client.execute(
                uri: "/v1/social/mentions", method: .post, headers: tenant.admin.with(.contentType, "application/json"),
                body: ByteBuffer(string: body)
            ) { response throws in
                let json = try response.expectProblem(.unprocessableContent)
                #expect((json["errors"] as? [[String: Any]])?.first?["field"] as? String == "text")
            }
        }
    }
}
