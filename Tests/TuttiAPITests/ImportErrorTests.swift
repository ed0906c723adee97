import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiAPI
import TuttiRuntime
import TuttiTestSupport

/// Broken rows, refused requests and limits: what an import reports instead of storing.
@Suite("Bulk import errors over HTTP")
struct ImportErrorTests {
    @Test func aCSVWithBrokenRowsReportsThemByLineAndKeepsTheGoodOnes() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let csv = """
                email,external_id,first_name,attribute.note
                good1@example.com,g-1,One,"a note, with a comma"
                not-an-email,g-2,Two,
                bro"ken@example.com,g-3,Three,
                good2@example.com,g-4,Four,x,extra
                good3@example.com,g-5,"Five
                spans lines",
                good4@example.com,,,"open

                """
            let (status, answer) = try await client.importRows(tenant, csv, contentType: "text/csv; charset=utf-8")
            #expect(status == .created, "\(answer)")
            #expect(answer["status"] as? String == "completed")
            #expect(answer["rows_total"] as? Int == 6)
            #expect(answer["rows_ok"] as? Int == 2)
            #expect(answer["rows_failed"] as? Int == 4)
            let errors = try #require(answer["errors"] as? [[String: Any]])
            #expect(errors.compactMap { $0["line"] as? Int } == [3, 4, 5, 8])
            #expect(errors.first?["field"] as? String == "email")
            #expect(try await client.customerCount(tenant) == 2)
            let five = try #require(try await client.findCustomer(tenant, "external_id:g-5"))
            #expect((five["attributes"] as? [String: Any])?["first_name"] as? String == "Five\nspans lines")
            let one = try #require(try await client.findCustomer(tenant, "email:good1@example.com"))
            #expect((one["attributes"] as? [String: Any])?["note"] as? String == "a note, with a comma")

            // GET shows the same result.
            let id = try #require(answer["id"] as? String)
            let (got, shown) = try await client.send(.get, "/v1/imports/\(id)", tenant)
            #expect(got == .ok)
            #expect(shown["rows_failed"] as? Int == 4)
            #expect((shown["errors"] as? [Any])?.count == 4)
        }
    }

    @Test func anErasedIdentityIsAPerRowError() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let gone = try await client.customer(tenant, identities: [("email", "gone@example.com")])
            let (erased, _) = try await client.send(.delete, "/v1/customers/\(gone)", tenant)
            #expect(erased == .ok)
            let (status, answer) = try await client.importRows(tenant, "email,first_name\nkept@example.com,K\nGone@example.com,G\n", contentType: "text/csv")
            #expect(status == .created)
            #expect(answer["rows_ok"] as? Int == 1)
            let errors = try #require(answer["errors"] as? [[String: Any]])
            #expect(errors.count == 1)
            #expect(errors.first?["line"] as? Int == 3)
            #expect(errors.first?["field"] as? String == "email")
            #expect(try await client.findCustomer(tenant, "email:gone@example.com") == nil)
        }
    }

    @Test func anotherTenantCannotSeeTheImport() async throws {
        try await withAPI { client in
            let a = try await client.createTenant("A")
            let b = try await client.createTenant("B")
            let (_, answer) = try await client.importRows(a, ndjson(1))
            let id = try #require(answer["id"] as? String)
            let (own, _) = try await client.send(.get, "/v1/imports/\(id)", a)
            #expect(own == .ok)
            try await client.execute(uri: "/v1/imports/\(id)", method: .get, headers: b.admin) { try $0.expectProblem(.notFound) }
            try await client.execute(uri: "/v1/imports/\(UUID().uuidString)", method: .get, headers: a.admin) { try $0.expectProblem(.notFound) }
        }
    }

    @Test func badRequestsAreRefusedBeforeAnythingIsImported() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            for contentType in ["application/json", "text/plain", "text/csv; charset=latin1"] {
                try await client.execute(uri: "/v1/imports", method: .post, headers: tenant.admin.with(.contentType, contentType),
                                         body: ByteBuffer(string: ndjson(1))) { try $0.expectProblem(.unsupportedMediaType) }
            }
            try await client.execute(uri: "/v1/imports", method: .post, headers: tenant.admin, body: ByteBuffer(string: ndjson(1))) {
                try $0.expectProblem(.unsupportedMediaType)
            }
            for (body, type) in [("", "application/x-ndjson"), ("\n\n", "application/x-ndjson"), ("email\n", "text/csv")] {
                try await client.execute(uri: "/v1/imports", method: .post, headers: tenant.admin.with(.contentType, type),
                                         body: ByteBuffer(string: body)) { try $0.expectProblem(.unprocessableContent) }
            }
            try await client.execute(uri: "/v1/imports", method: .post, headers: tenant.admin.with(.contentType, "text/csv"),
                                     body: ByteBuffer(string: "first_name,plan\nAnn,gold\n")) { response throws in
                let json = try response.expectProblem(.unprocessableContent)
                #expect((json["errors"] as? [[String: Any]])?.first?["line"] as? Int == 1)
            }
            try await client.execute(uri: "/v1/imports?source=bad%20source", method: .post, headers: tenant.admin.with(.contentType, "text/csv"),
                                     body: ByteBuffer(string: "email\na@example.com\n")) { try $0.expectProblem(.badRequest) }
            try await client.execute(uri: "/v1/imports", method: .post, headers: [.contentType: "text/csv"],
                                     body: ByteBuffer(string: "email\na@example.com\n")) { try $0.expectProblem(.unauthorized) }
            let viewer = try await client.createKey(tenant, role: "viewer")
            let (refused, _) = try await client.importRows(tenant, ndjson(1), key: viewer.token)
            #expect(refused == .forbidden)
            #expect(try await client.customerCount(tenant) == 0)
        }
    }

    @Test func importsTakeBodiesLargerThanTheJSONLimitButNotThanTheirOwn() async throws {
        var configuration = try await TuttiConfiguration.forTesting(maxBodyBytes: 4096)
        configuration.http.maxImportBytes = 64 * 1024
        let app = try await buildApplication(configuration: configuration, logger: TestDatabase.logger)
        try await app.test(.router) { client in
            let tenant = try await client.createTenant()
            let (status, answer) = try await client.importRows(tenant, ndjson(100))
            #expect(status == .created)
            #expect(answer["rows_ok"] as? Int == 100)
            try await client.execute(uri: "/v1/imports", method: .post, headers: tenant.admin.with(.contentType, "application/x-ndjson"),
                                     body: ByteBuffer(string: ndjson(1_000, from: 100))) { try $0.expectProblem(.contentTooLarge) }
        }
    }
}
