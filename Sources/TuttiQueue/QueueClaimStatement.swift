import Foundation
import PostgresNIO

/// The claim: complete the leases given (finished work from the previous batch), then lease up
/// to `limit` ready jobs of one tenant and queue in claim order, skipping rows other claimers
/// hold, all in one statement and so one round trip and one commit. The fence and the claim
/// are ``QueueClaimSQL``'s, as in the delivery worker's cycle.
///
/// Prepared once per pooled connection: it runs hundreds of times a second, and planning the
/// statement would cost as much as running it for small batches.
struct QueueClaimStatement: PostgresPreparedStatement {
    typealias Row = (Int64?, Int32?, Int16?, String?, String?, Int32?, Date?, Int)

    // PostgresNIO's default name is `String(reflecting: Self.self)`, built on every execution.
    static let name = "tutti.QueueClaimStatement"

    static let sql = """
        WITH done AS (
            \(QueueClaimSQL.fence(tenant: "$1", ids: "$6", keys: "$7"))
        ), \(QueueClaimSQL.claim(tenant: "$1", queue: "$2", worker: "$3", limit: "$4", leaseSeconds: "$5"))
        SELECT c.id, c.attempts, c.priority, c.payload::text, c.unique_key, c.max_attempts, c.run_at,
               (SELECT count(*) FROM done)::int8
        FROM (SELECT 1) AS one
        LEFT JOIN claimed AS c ON true
        ORDER BY c.priority, c.run_at, c.id
        """

    static let bindingDataTypes: [PostgresDataType] = QueueClaimArguments.bindingDataTypes + [.int8Array, .int8Array]

    var claim: QueueClaimArguments
    var completing: [QueueLease]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 7)
        claim.append(to: &bindings)
        bindings.append(completing.map(\.jobID))
        bindings.append(completing.map(\.fenceKey))
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}
