import Foundation
import Logging
import NIOCore
import PostgresNIO
import TuttiDomain

extension Database {
    /// The customer holding `identity`, or `id` followed through merges to the survivor, for
    /// `tenantID`, as the API's JSON text (see ``CustomerDocumentStatement``); nil when there
    /// is none.
    ///
    /// One statement outside any transaction, like ``customerLoad(tenantID:identity:id:logger:)``;
    /// row-level security still confines it (migration 0013, docs/tenancy.md).
    public func customerDocument(tenantID: UUID, identity: Identity?, id: UUID?, logger: Logger) async throws(StoreError) -> ByteBuffer? {
        do {
            return try await client.withConnection { connection in
                try await CustomerDocumentStatement(tenantID: tenantID, identity: identity, id: id).document(on: connection, logger: logger)
            }
        } catch {
            throw StoreError(error)
        }
    }
}
