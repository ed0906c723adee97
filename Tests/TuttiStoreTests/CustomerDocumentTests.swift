import Foundation
import NIOCore
import PostgresNIO
import Testing
import TuttiDomain
import TuttiStore
import TuttiTestSupport

/// `customer_load_json` (``Database/customerDocument``): the customer as the API shows it, built
/// by PostgreSQL in one statement outside any transaction. It must say what ``Database/customerLoad``
/// says, and stay inside its tenant as that does.
@Suite("Customer document built by PostgreSQL")
struct CustomerDocumentTests {
    let logger = TestDatabase.logger

    func write(_ identities: [Identity], _ attributes: [String: JSONValue] = [:], in tenant: TestTenant, _ database: Database) async throws -> CustomerWriteResult {
        try await database.withTenant(tenant.tenant.id, logger: logger) { session in
            try await session.customerWrite(CustomerWrite(identities: identities, attributes: attributes, source: "test"), requestID: nil)
        }
    }

    func object(_ document: ByteBuffer?) throws -> [String: Any] {
        let document = try #require(document)
        return try #require(try JSONSerialization.jsonObject(with: Data(document.readableBytesView)) as? [String: Any])
    }

    /// A time as the API's JSON encoder writes it (`.iso8601`: whole seconds, UTC).
    func encoded(_ date: Date) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(date), as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    func unique(_ name: String) -> String { "\(name)-\(UUID().uuidString.prefix(8).lowercased())" }

    @Test func saysWhatTheCustomerLoadSays() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make(in: database)
            let email = Identity(stored: .email, value: "\(unique("doc"))@example.com")
            let external = Identity(stored: .externalID, value: unique("crm"))
            let attributes: [String: JSONValue] = ["plan": .string("gold \"vip\" / ü"), "seats": .number(3), "tags": .array([.string("a")]), "trial": .bool(false)]
            let id = try await write([email, external], attributes, in: tenant, database).customerID

            let loaded = try #require(try await database.customerLoad(tenantID: tenant.tenant.id, identity: email, id: nil, logger: logger))
            let byIdentity = try object(try await database.customerDocument(tenantID: tenant.tenant.id, identity: email, id: nil, logger: logger))
            let byID = try object(try await database.customerDocument(tenantID: tenant.tenant.id, identity: nil, id: id, logger: logger))
            #expect(NSDictionary(dictionary: byIdentity).isEqual(to: byID))

            #expect(byIdentity["id"] as? String == id.uuidString.lowercased())
            #expect(try encoded(loaded.createdAt) == byIdentity["created_at"] as? String)
            #expect(try encoded(loaded.updatedAt) == byIdentity["updated_at"] as? String)
            #expect((byIdentity["merged_ids"] as? [Any])?.isEmpty == true)
            let shownAttributes = try #require(byIdentity["attributes"] as? [String: Any])
            #expect(shownAttributes["plan"] as? String == "gold \"vip\" / ü")
            #expect(shownAttributes["seats"] as? Int == 3)
            #expect(shownAttributes["trial"] as? Bool == false)
            #expect(shownAttributes["tags"] as? [String] == ["a"])
            let identities = try #require(byIdentity["identities"] as? [[String: Any]])
            #expect(identities.map { "\($0["type"] ?? ""):\($0["value"] ?? "")" } == loaded.identities.map { "\($0.identity.type):\($0.identity.value)" })
            #expect(identities.allSatisfy { $0["source"] as? String == "test" })
            #expect(try loaded.identities.map { try encoded($0.createdAt) } == identities.map { $0["created_at"] as? String })
        }
    }

    @Test func followsMergesToTheSurvivorAndListsTheMerged() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make(in: database)
            let email = Identity(stored: .email, value: "\(unique("merge"))@example.com")
            let external = Identity(stored: .externalID, value: unique("crm"))
            let first = try await write([email], in: tenant, database).customerID
            let second = try await write([external], in: tenant, database).customerID
            let merged = try await write([email, external], in: tenant, database)
            let survivor = merged.customerID
            let away = survivor == first ? second : first

            let loaded = try #require(try await database.customerLoad(tenantID: tenant.tenant.id, identity: nil, id: away, logger: logger))
            for document in [
                try await database.customerDocument(tenantID: tenant.tenant.id, identity: nil, id: away, logger: logger),
                try await database.customerDocument(tenantID: tenant.tenant.id, identity: email, id: nil, logger: logger),
            ] {
                let shown = try object(document)
                #expect(shown["id"] as? String == survivor.uuidString.lowercased())
                #expect(shown["merged_ids"] as? [String] == loaded.mergedIDs.map { $0.uuidString.lowercased() }.sorted())
                #expect(shown["merged_ids"] as? [String] == [away.uuidString.lowercased()])
            }
        }
    }

    @Test func findsItsOwnTenantsCustomerAndNothingOfAnother() async throws {
        try await withTestDatabase { database in
            let a = try await TestTenant.make("A", in: database)
            let b = try await TestTenant.make("B", in: database)
            let email = Identity(stored: .email, value: "\(unique("only-b"))@example.com")
            let bCustomer = try await write([email], in: b, database).customerID

            #expect(try await database.customerDocument(tenantID: b.tenant.id, identity: email, id: nil, logger: logger) != nil)
            #expect(try await database.customerDocument(tenantID: a.tenant.id, identity: email, id: nil, logger: logger) == nil)
            #expect(try await database.customerDocument(tenantID: a.tenant.id, identity: nil, id: bCustomer, logger: logger) == nil)
            #expect(try await database.customerDocument(tenantID: b.tenant.id, identity: nil, id: UUID(), logger: logger) == nil)
        }
    }

    @Test func leavesNoTenantOnThePooledConnection() async throws {
        let urls = try await TestDatabase.shared.migratedDatabase()
        try await Database.withShortLivedPool(urls.app, maximumConnections: 1, logger: logger) { database in
            let tenant = try await TestTenant.make(in: database)
            let id = try await write([Identity(stored: .email, value: "\(unique("left"))@example.com")], in: tenant, database).customerID
            #expect(try await database.customerDocument(tenantID: tenant.tenant.id, identity: nil, id: id, logger: logger) != nil)

            // The pool has one connection: this is the one the read just used.
            let setting = try await database.client.withConnection { connection in
                var setting = "?"
                for try await value in try await connection.query("SELECT coalesce(current_setting('tutti.tenant_id', true), '')", logger: logger)
                    .decode(String.self) { setting = value }
                return setting
            }
            #expect(setting == "")
        }
    }

    @Test func refusesToMoveATransactionOfAnotherTenant() async throws {
        try await withTestDatabase { database in
            let a = try await TestTenant.make("A", in: database)
            let b = try await TestTenant.make("B", in: database)
            let bCustomer = try await write([Identity(stored: .email, value: "\(unique("moved"))@example.com")], in: b, database).customerID
            await #expect(throws: StoreError.self) {
                try await database.withTenant(a.tenant.id, logger: logger) { session in
                    let rows = try await session.connection.query(
                        "SELECT customer_load_json(\(b.tenant.id), NULL, NULL, \(bCustomer))", logger: logger)
                    for try await _ in rows {}
                }
            }
        }
    }
}
