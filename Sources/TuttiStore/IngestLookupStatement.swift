import Foundation
import PostgresNIO
import TuttiDomain

/// What ingestion must know before it stores a batch, in one round trip: which of its message
/// ids were stored before (replays, skipped before they touch a profile), and which customer
/// holds each of its identities. A row with a NULL type is a stored message id in `value`.
///
/// Prepared once per pooled connection, like ``EventInsertStatement``: it runs for every batch.
struct IngestLookupStatement: PostgresPreparedStatement {
    typealias Row = (String?, String, UUID?)

    static let sql = """
        SELECT NULL::text, m.message_id, NULL::uuid FROM event_message_ids m
        WHERE m.tenant_id = $1 AND m.message_id = ANY($2::text[])
        UNION ALL
        SELECT i.type, i.value, i.customer_id FROM customer_identities i
        JOIN unnest($3::text[], $4::text[]) AS w(t, v) ON i.type = w.t AND i.value = w.v
        WHERE i.tenant_id = $1
        """

    static let bindingDataTypes: [PostgresDataType] = [.uuid, .textArray, .textArray, .textArray]

    var tenantID: UUID
    var messageIDs: [String]
    var identities: [Identity]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 4)
        bindings.append(tenantID)
        bindings.append(messageIDs)
        bindings.append(identities.map(\.type.description))
        bindings.append(identities.map(\.value))
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}
