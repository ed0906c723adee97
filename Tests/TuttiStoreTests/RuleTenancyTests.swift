import Foundation
import PostgresNIO
import Testing
import TuttiDomain
import TuttiStore
import TuttiTestSupport

/// `rule_customers` reads customers with the owner's rights (so attribute rules can use their
/// index); it must still show one tenant only, exactly as the row-level security policy would.
@Suite("Rule tenancy")
struct RuleTenancyTests {
    @Test func rulesSeeOnlyTheTransactionsTenantAndNoWriteLeavesIt() async throws {
        try await withTestDatabase { database in
            let a = try await TestTenant.make("Rules A", in: database), b = try await TestTenant.make("Rules B", in: database)
            for tenant in [a, b] {
                try await database.withTenant(tenant.tenant.id, logger: TestDatabase.logger) { session in
                    try await session.connection.query(
                        "INSERT INTO customers (tenant_id, id, attributes) VALUES (\(session.tenantID), \(UUID()), '{\"country\": \"DE\"}')",
                        logger: session.logger)
                }
            }
            let everyone = RuleExpression.attribute(FieldCondition(path: ["country"], test: .compare(.equal, .string("DE"))))
            let now = RuleTime(millisecondsSinceEpoch: 0)
            try await database.withTenant(a.tenant.id, logger: TestDatabase.logger) { session in
                #expect(try await session.ruleCount(everyone, now: now) == 1)
                // Even a query naming the other tenant sees nothing of it.
                let other = try await session.connection.query(
                    "SELECT count(*) FROM rule_customers WHERE tenant_id = \(b.tenant.id)", logger: session.logger)
                for try await count in other.decode(Int64.self) { #expect(count == 0) }
            }
            await #expect(throws: (any Error).self) {
                try await database.withTenant(a.tenant.id, logger: TestDatabase.logger) { session in
                    try await session.connection.query(
                        "INSERT INTO rule_customers (tenant_id, id, attributes) VALUES (\(b.tenant.id), \(UUID()), '{}')", logger: session.logger)
                }
            }
        }
    }
}
