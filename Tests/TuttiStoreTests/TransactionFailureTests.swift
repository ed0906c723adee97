import Foundation
import PostgresNIO
import Testing
import TuttiDomain
import TuttiStore
import TuttiTestSupport

/// A statement that fails inside a tenant transaction must fail the transaction where it
/// happened, whatever the statement returns.
@Suite("Failures inside a transaction")
struct TransactionFailureTests {
    let logger = TestDatabase.logger

    /// Customer writes take one advisory lock per identity, and a transaction that writes two
    /// customers in turn can wait for another doing the same in the opposite order. PostgreSQL
    /// breaks such a circle by failing one of them (40P01) while its `pg_advisory_xact_lock`
    /// waits. The failure must come out of the write that waited, as a serialization failure
    /// that the API runs again (`Database.withCustomers`). It used to be lost with the lock
    /// statement's unread rows: the transaction then failed at its next statement with 25P02,
    /// which nobody retries (CI saw a Segment batch answer 500 this way), or, had nothing
    /// followed, its COMMIT would have rolled back without a word.
    @Test func theDeadlockVictimFailsAsASerializationFailureAndTheOtherCommits() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make(in: database)
            let run = UUID().uuidString.prefix(8).lowercased()
            let a = Identity(stored: .email, value: "a-\(run)@example.com")
            let b = Identity(stored: .email, value: "b-\(run)@example.com")
            let (aHeld, aHolder) = AsyncStream<Void>.makeStream()
            let (bHeld, bHolder) = AsyncStream<Void>.makeStream()

            let errors = await withTaskGroup(of: (any Error)?.self) { group in
                for (mine, theirs, held, othersHeld) in [(a, b, aHolder, bHeld), (b, a, bHolder, aHeld)] {
                    group.addTask {
                        do {
                            try await database.withTenant(tenant.tenant.id, logger: logger) { session in
                                _ = try await session.customerWrite(CustomerWrite(identities: [mine], source: "test"), requestID: nil)
                                held.yield()
                                for await _ in othersHeld { break }
                                _ = try await session.customerWrite(CustomerWrite(identities: [theirs], source: "test"), requestID: nil)
                            }
                            return nil
                        } catch {
                            return error
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }

            let failures = errors.compactMap { $0 }
            try #require(failures.count == 1, "one of the two transactions is the deadlock's victim: \(failures)")
            let failure = try #require(failures[0] as? StoreError, "\(failures[0])")
            #expect(failure.isSerializationFailure, "the victim fails as a deadlock (40P01), not later: \(failure)")
            let holderOfA = try await database.customerLoad(tenantID: tenant.tenant.id, identity: a, id: nil, logger: logger)
            let holderOfB = try await database.customerLoad(tenantID: tenant.tenant.id, identity: b, id: nil, logger: logger)
            #expect(holderOfA != nil && holderOfB != nil, "the other transaction committed both of its customers")
        }
    }

    /// The guard behind the fix above: if a failure ever again reaches no caller, the COMMIT
    /// that PostgreSQL answers with ROLLBACK must not come out as a commit.
    @Test func aTransactionAbortedByAFailureNobodyReadIsNotReportedAsCommitted() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make(in: database)
            let email = Identity(stored: .email, value: "lost-\(UUID().uuidString.prefix(8).lowercased())@example.com")
            var thrown: (any Error)?
            do {
                try await database.withTenant(tenant.tenant.id, logger: logger) { session in
                    _ = try await session.customerWrite(CustomerWrite(identities: [email], source: "test"), requestID: nil)
                    // Raised while the statement runs (random() is not folded away when it is
                    // planned), so PostgresNIO reports it only to a reader of the rows; none reads them.
                    _ = try await session.connection.query("SELECT 1 / (random() * 0)::int", logger: logger)
                }
            } catch {
                thrown = error
            }
            let error = try #require(thrown as? StoreError, "withTenant reported a commit: \(String(describing: thrown))")
            #expect(error.underlying.contains("COMMIT rolled the transaction back"), "\(error)")
            #expect(try await database.customerLoad(tenantID: tenant.tenant.id, identity: email, id: nil, logger: logger) == nil)
        }
    }
}
