import Foundation
import PostgresNIO
import TuttiDomain

/// The customer read behind `GET /v1/customers/{id}` and the lookup by identity: resolve the
/// start (an id, or the holder of an identity) through merges to the survivor, then its
/// profile, identities and the ids merged into it, in one statement.
///
/// The query is the `customer_load` function (migration 0011), which confines itself to its
/// tenant, so the statement runs both inside a tenant transaction and alone, outside any
/// (``Database/customerLoad(tenantID:identity:id:logger:)``). Prepared once per pooled
/// connection, and the function keeps its query's plan: planning it costs more than running it.
struct CustomerLoadStatement: PostgresPreparedStatement {
    typealias Row = (UUID, String, Date, Date, String, [UUID])

    // PostgresNIO's default name is `String(reflecting: Self.self)`, built on every execution.
    static let name = "tutti.CustomerLoadStatement"

    static let sql = "SELECT id, attributes, created_at, updated_at, identities, merged_ids FROM customer_load($1, $2, $3, $4)"

    static let bindingDataTypes = CustomerLoadArguments.dataTypes

    var arguments: CustomerLoadArguments

    init(tenantID: UUID, identity: Identity?, id: UUID?) {
        arguments = CustomerLoadArguments(tenantID: tenantID, identity: identity, id: id)
    }

    func makeBindings() throws -> PostgresBindings {
        arguments.bindings()
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }

    /// Runs the statement on `connection` and reads its row (at most one), to the end of the
    /// stream so that the connection is free again afterwards.
    func customer(on connection: PostgresConnection, logger: Logger) async throws -> Customer? {
        var customer: Customer?
        for try await (id, attributes, createdAt, updatedAt, identities, merged) in try await connection.execute(self, logger: logger) {
            customer = Customer(
                id: id, identities: TenantSession.identityRecords(identities), attributes: JSONColumns.object(attributes),
                createdAt: createdAt, updatedAt: updatedAt, mergedIDs: merged)
        }
        return customer
    }
}
