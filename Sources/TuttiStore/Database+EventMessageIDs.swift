import Logging
import PostgresNIO

extension Database {
    /// Forgets, for every tenant, at most `limit` ingested message ids received more than `age`
    /// ago (`event_message_ids_purge`, migration 0015); returns how many. A message replayed
    /// after that is stored again: deduplication covers the window, as Segment's does.
    public func eventMessageIDsPurge(olderThan age: Duration, limit: Int, logger: Logger) async throws(StoreError) -> Int {
        try await scalar(
            "SELECT event_message_ids_purge(make_interval(secs => \(Int(age.components.seconds))), \(limit)::integer)", logger: logger)
    }
}
