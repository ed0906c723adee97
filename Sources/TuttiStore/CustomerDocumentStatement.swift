import Foundation
import NIOCore
import PostgresNIO
import TuttiDomain

/// The customer as the API shows it, built by PostgreSQL as JSON text: the `customer_load_json`
/// function (migration 0013), behind `GET /v1/customers/{id}` and the lookup by identity.
///
/// The text comes back as the row's own bytes, so the API can send it without decoding or
/// encoding anything. Like ``CustomerLoadStatement`` it confines itself to its tenant, runs alone
/// outside any transaction, and is prepared once per pooled connection.
struct CustomerDocumentStatement: PostgresPreparedStatement {
    typealias Row = ByteBuffer?

    // PostgresNIO's default name is `String(reflecting: Self.self)`, built on every execution.
    static let name = "tutti.CustomerDocumentStatement"

    static let sql = "SELECT customer_load_json($1, $2, $3, $4)"

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

    /// Runs the statement on `connection` and reads its one row to the end of the stream, so
    /// that the connection is free again afterwards; nil when there is no such customer.
    func document(on connection: PostgresConnection, logger: Logger) async throws -> ByteBuffer? {
        var document: ByteBuffer?
        for try await row in try await connection.execute(self, logger: logger) {
            document = row
        }
        return document
    }
}
