import Foundation
import Testing
import TuttiStore
import TuttiTestSupport
import _ConnectionPoolModule

/// PostgresClient reports a database it cannot get a connection to with its pool's own error
/// type, not as a PostgreSQL error. Callers must still see "unavailable" (the API answers 503,
/// the worker lets its leases lapse), not an unclassified failure that the API answers with 500.
@Suite("An unavailable database")
struct DatabaseUnavailableTests {
    /// What the pool throws once the server has refused connections for a minute (its circuit
    /// breaker; waiting for it here would take that minute), and when it has shut down.
    @Test func thePoolsOwnFailuresAreClassifiedUnavailable() {
        #expect(StoreError(ConnectionPoolError.connectionCreationCircuitBreakerTripped).isUnavailable)
        #expect(StoreError(ConnectionPoolError.poolShutdown).isUnavailable)
    }

    @Test func aTransactionOnAPoolThatHasShutDownFailsAsUnavailable() async throws {
        let urls = try await TestDatabase.shared.migratedDatabase()
        // The pool lives as long as the closure; the database value outlives it.
        let database = try await Database.withShortLivedPool(urls.app, maximumConnections: 1, logger: TestDatabase.logger) { $0 }
        let failure = await #expect(throws: StoreError.self) {
            try await database.withTenant(UUID(), logger: TestDatabase.logger) { _ in }
        }
        #expect(failure?.isUnavailable == true, "classified as \(String(describing: failure))")
    }
}
