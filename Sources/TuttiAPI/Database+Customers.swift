import Foundation
import Logging
import TuttiDomain
import TuttiRuntime
import TuttiStore

extension Database {
    /// Runs a customer operation for the caller's tenant, turning the store's typed refusals
    /// into problems and giving the tenant's default country to identity parsing.
    ///
    /// A transaction that PostgreSQL ends as a deadlock victim runs again, up to
    /// ``customerAttempts`` times: writers that claim identities in bulk (Segment batches,
    /// imports) and one by one (under advisory locks) can wait for each other in a circle, and
    /// PostgreSQL breaks the circle by failing one of them. `body` must do nothing but database
    /// work in its session, so that running it again is safe.
    func withCustomers<Result: Sendable>(
        _ principal: Principal, logger: Logger, _ body: (TenantSession) async throws -> Result
    ) async throws -> Result {
        for attempt in 1... {
            do {
                return try await withTenant(principal.tenantID, logger: logger, body)
            } catch let error as CustomerWriteError {
                throw error.problem
            } catch let error as MergeUndoError {
                throw error.problem
            } catch let error as StoreError where error.isSerializationFailure && attempt < Self.customerAttempts {
                logger.info("customer transaction ran again after a deadlock or serialization failure", metadata: ["attempt": "\(attempt)"])
                // A little apart, so that the transactions that collided do not meet again in step.
                try await Task.sleep(for: .milliseconds(Int.random(in: 5...25) * attempt))
            }
        }
        preconditionFailure("the last attempt returns or throws")
    }

    /// How often ``withCustomers(_:logger:_:)`` runs a transaction that keeps failing to serialize.
    static let customerAttempts = 4
}

extension TenantSession {
    /// Runs `parse` without the tenant's default country first, and only when that fails reads
    /// the country and parses again: the country matters for national phone numbers alone, so
    /// most requests (every Segment batch without one) skip the query.
    func withDefaultCountry<Result>(_ parse: (String?) throws -> Result) async throws -> Result {
        if let parsed = try? parse(nil) { return parsed }
        return try parse(try await tenantGet()?.defaultCountry)
    }
}
