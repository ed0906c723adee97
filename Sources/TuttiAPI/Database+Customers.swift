import Foundation
import Logging
import TuttiDomain
import TuttiRuntime
import TuttiStore

extension Database {
    /// Runs a customer operation for the caller's tenant, turning the store's typed refusals
    /// into problems and giving the tenant's default country to identity parsing.
    func withCustomers<Result: Sendable>(
        _ principal: Principal, logger: Logger, _ body: (TenantSession) async throws -> Result
    ) async throws -> Result {
        do {
            return try await withTenant(principal.tenantID, logger: logger, body)
        } catch let error as CustomerWriteError {
            throw error.problem
        } catch let error as MergeUndoError {
            throw error.problem
        }
    }
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
