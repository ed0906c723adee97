import Foundation
import PostgresNIO
import Testing
import TuttiDomain
import TuttiStore
import TuttiTestSupport

/// The customer read runs as one statement outside any transaction (``Database/customerLoad``):
/// the `customer_load` function confines itself to its tenant. These tests try to make it see
/// another tenant, or leave its tenant behind on a pooled connection.
@Suite("Customer read outside a transaction")
struct CustomerLoadIsolationTests {
    let logger = TestDatabase.logger

    func customer(_ email: String, in tenant: TestTenant, _ database: Database) async throws -> UUID {
        try await database.withTenant(tenant.tenant.id, logger: logger) { session in
            try await session.customerWrite(
                CustomerWrite(identities: [Identity(stored: .email, value: email)], source: "test"), requestID: nil
            ).customerID
        }
    }

    @Test func findsItsOwnTenantsCustomerAndNothingOfAnother() async throws {
        try await withTestDatabase { database in
            let a = try await TestTenant.make("A", in: database)
            let b = try await TestTenant.make("B", in: database)
            let email = Identity(stored: .email, value: "only-b-\(UUID().uuidString.prefix(8).lowercased())@example.com")
            let bCustomer = try await customer(email.value, in: b, database)

            let asB = try await database.customerLoad(tenantID: b.tenant.id, identity: email, id: nil, logger: logger)
            #expect(asB?.id == bCustomer)
            #expect(try await database.customerLoad(tenantID: b.tenant.id, identity: nil, id: bCustomer, logger: logger)?.id == bCustomer)
            #expect(try await database.customerLoad(tenantID: a.tenant.id, identity: email, id: nil, logger: logger) == nil)
            #expect(try await database.customerLoad(tenantID: a.tenant.id, identity: nil, id: bCustomer, logger: logger) == nil)
        }
    }

    @Test func leavesNoTenantOnThePooledConnection() async throws {
        let urls = try await TestDatabase.shared.migratedDatabase()
        try await Database.withShortLivedPool(urls.app, maximumConnections: 1, logger: logger) { database in
            let tenant = try await TestTenant.make(in: database)
            let id = try await customer("left-behind-\(UUID().uuidString.prefix(8).lowercased())@example.com", in: tenant, database)
            #expect(try await database.customerLoad(tenantID: tenant.tenant.id, identity: nil, id: id, logger: logger)?.id == id)

            // The pool has one connection: this is the one the read just used.
            let (setting, visible) = try await database.client.withConnection { connection in
                var setting = "?"
                for try await value in try await connection.query("SELECT coalesce(current_setting('tutti.tenant_id', true), '')", logger: logger)
                    .decode(String.self) { setting = value }
                var visible = -1
                for try await value in try await connection.query("SELECT count(*)::int FROM customers", logger: logger).decode(Int.self) {
                    visible = value
                }
                return (setting, visible)
            }
            #expect(setting == "")
            #expect(visible == 0)
        }
    }

    @Test func refusesToMoveATransactionOfAnotherTenant() async throws {
        try await withTestDatabase { database in
            let a = try await TestTenant.make("A", in: database)
            let b = try await TestTenant.make("B", in: database)
            let bCustomer = try await customer("moved-\(UUID().uuidString.prefix(8).lowercased())@example.com", in: b, database)
            await #expect(throws: StoreError.self) {
                try await database.withTenant(a.tenant.id, logger: logger) { session in
                    let rows = try await session.connection.query(
                        "SELECT id FROM customer_load(\(b.tenant.id), NULL, NULL, \(bCustomer))", logger: logger)
                    for try await _ in rows {}
                }
            }
        }
    }
}
