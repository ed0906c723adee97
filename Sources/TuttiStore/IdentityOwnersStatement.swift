import Foundation
import PostgresNIO
import TuttiDomain

/// The live customer holding each of a batch of identities (``TenantSession/customerIDs(for:)``).
///
/// Prepared once per pooled connection, like ``EventInsertStatement``: ingestion runs it for
/// every batch, and planning it cost about as much as running it.
struct IdentityOwnersStatement: PostgresPreparedStatement {
    typealias Row = (String, String, UUID)

    // PostgresNIO's default name is `String(reflecting: Self.self)`, built on every execution.
    static let name = "tutti.IdentityOwnersStatement"

    static let sql = """
        SELECT i.type, i.value, i.customer_id FROM customer_identities i
        JOIN unnest($2::text[], $3::text[]) AS w(t, v) ON i.type = w.t AND i.value = w.v
        WHERE i.tenant_id = $1
        """

    static let bindingDataTypes: [PostgresDataType] = [.uuid, .textArray, .textArray]

    var tenantID: UUID
    var identities: [Identity]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(tenantID)
        bindings.append(identities.map(\.type.description))
        bindings.append(identities.map(\.value))
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}
