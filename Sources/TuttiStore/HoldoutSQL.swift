import TuttiDomain

/// ``Holdout`` as a PostgreSQL expression, so that the audience is split set-based where it
/// is built: `md5('<campaign>:<customer>')`'s first 32 bits, modulo 10,000, below the
/// threshold in basis points. Only IMMUTABLE built-ins (`md5`, `left`, the uuid-to-text and
/// bit-to-bigint casts) on plain PostgreSQL, so Citus pushes it down to the workers' shards.
/// HoldoutSQLTests proves it agrees with the Swift function.
public enum HoldoutSQL {
    /// A boolean SQL expression: whether the customer is held out. Each argument is SQL text
    /// (a column such as `c.id`, a bound parameter such as `$2`, or any expression): the
    /// customer's and the campaign's ids (uuid) and the threshold from
    /// ``Holdout/basisPoints(percent:)`` (integer). Never pass client text here: bind values.
    public static func isHeldOut(customerColumn: String, campaignParameter: String, basisPointsParameter: String) -> String {
        "(('x' || left(md5((\(campaignParameter))::uuid::text || ':' || (\(customerColumn))::uuid::text), 8))::bit(32)::bigint"
            + " % \(Holdout.buckets) < (\(basisPointsParameter))::integer)"
    }
}
