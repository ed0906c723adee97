import Foundation
import Logging
import PostgresNIO
import TuttiDomain

extension Database {
    /// The customer holding `identity`, or `id` followed through merges to the survivor, for
    /// `tenantID`; nil when there is none.
    ///
    /// One statement outside any transaction: a single round trip where ``withTenant(_:logger:_:)``
    /// takes four. Row-level security still confines it, because the `customer_load` function
    /// sets the tenant for the statement itself (migration 0011, docs/tenancy.md).
    public func customerLoad(tenantID: UUID, identity: Identity?, id: UUID?, logger: Logger) async throws(StoreError) -> Customer? {
        do {
            return try await client.withConnection { connection in
                try await CustomerLoadStatement(tenantID: tenantID, identity: identity, id: id).customer(on: connection, logger: logger)
            }
        } catch {
            throw StoreError(error)
        }
    }
}
