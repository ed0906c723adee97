import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiAPI
import TuttiRuntime
import TuttiTestSupport

@Suite("Bulk import over HTTP")
struct ImportTests {
    @Test func ndjsonImportCreatesCustomersWithTheirSourceNoted() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let (status, answer) = try await client.importRows(tenant, ndjson(3), query: "?source=crm")
            #expect(status == .created, "\(answer)")
            #expect(answer["status"] as? String == "completed")
            #expect(answer["format"] as? String == "ndjson")
            #expect(answer["source"] as? String == "crm")
            #expect(answer["rows_total"] as? Int == 3)
            #expect(answer["rows_ok"] as? Int == 3)
            #expect(answer["rows_failed"] as? Int == 0)
            #expect((answer["errors"] as? [Any])?.isEmpty == true)
            #expect(answer["finished_at"] is String)

            let customer = try #require(try await client.findCustomer(tenant, "external_id:x-1"))
            let identities = try #require(customer["identities"] as? [[String: Any]])
            #expect(Set(identities.compactMap { $0["value"] as? String }) == ["c1@example.com", "x-1"])
            #expect(identities.allSatisfy { $0["source"] as? String == "import:crm" })
            #expect((customer["attributes"] as? [String: Any])?["plan"] as? String == "gold")

            // Without ?source, the import's id is the source.
            let (_, unnamed) = try await client.importRows(tenant, ndjson(1, from: 10))
            let id = try #require(unnamed["id"] as? String)
            let other = try #require(try await client.findCustomer(tenant, "email:c10@example.com"))
            #expect((other["identities"] as? [[String: Any]])?.first?["source"] as? String == "import:\(id)")
        }
    }

    @Test func theSameFileTwiceCreatesNoOneNew() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let (first, answer) = try await client.importRows(tenant, ndjson(1_500), query: "?source=crm")
            #expect(first == .created)
            #expect(answer["rows_ok"] as? Int == 1_500)
            #expect(try await client.customerCount(tenant) == 1_500)
            let before = try #require(try await client.findCustomer(tenant, "email:c1234@example.com"))

            let (second, again) = try await client.importRows(tenant, ndjson(1_500, plan: "silver"), query: "?source=crm")
            #expect(second == .created)
            #expect(again["rows_ok"] as? Int == 1_500)
            #expect(try await client.customerCount(tenant) == 1_500)
            let after = try #require(try await client.findCustomer(tenant, "email:c1234@example.com"))
            #expect(after["id"] as? String == before["id"] as? String)
            #expect((after["attributes"] as? [String: Any])?["plan"] as? String == "silver")
        }
    }

    @Test func concurrentImportsOfOneFileCreateEachCustomerOnce() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let file = ndjson(2_500)
            try await withThrowingTaskGroup(of: Int?.self) { group in
                for _ in 0..<3 {
                    group.addTask { (try await client.importRows(tenant, file)).1["rows_ok"] as? Int }
                }
                for try await ok in group { #expect(ok == 2_500) }
            }
            #expect(try await client.customerCount(tenant) == 2_500)
        }
    }

    @Test func rowsThatJoinCustomersMergeThemAndRowsSharingAnIdentityLandOnOne() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            let ann = try await client.customer(tenant, identities: [("email", "ann@example.com")], attributes: #"{"plan": "gold"}"#)
            _ = try await client.customer(tenant, identities: [("phone", "+33612345678")])
            let body = """
                {"identities": [{"type": "email", "value": "ann@example.com"}, {"type": "phone", "value": "+33612345678"}], "attributes": {"vip": true}}
                {"identities": [{"type": "external_id", "value": "z-1"}], "attributes": {"step": 1}}
                {"identities": [{"type": "external_id", "value": "z-1"}, {"type": "email", "value": "zed@example.com"}], "attributes": {"step": 2}}
                """
            let (status, answer) = try await client.importRows(tenant, body)
            #expect(status == .created)
            #expect(answer["rows_ok"] as? Int == 3, "\(answer)")
            #expect(try await client.customerCount(tenant) == 2)
            let merged = try #require(try await client.findCustomer(tenant, "phone:+33612345678"))
            #expect(merged["id"] as? String == ann)
            #expect((merged["attributes"] as? [String: Any])?["vip"] as? Bool == true)
            let zed = try #require(try await client.findCustomer(tenant, "email:zed@example.com"))
            #expect((zed["attributes"] as? [String: Any])?["step"] as? Int == 2)
        }
    }
}
