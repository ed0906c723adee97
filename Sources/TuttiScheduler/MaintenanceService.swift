import Logging
import ServiceLifecycle
import TuttiStore

/// Periodic housekeeping that no request does for itself: monthly partitions of `events`
/// created three months ahead (so inserts never fall into the default partition), stored
/// Idempotency-Key responses forgotten after 24 hours, and ingested message ids forgotten after
/// `dedupWindow` (`TUTTI_EVENT_DEDUP_DAYS`), so that ingestion's hottest index stays small.
///
/// Several schedulers may run. The purge is a single idempotent DELETE, so two running at once
/// is merely wasted work, never wrong; partition creation is idempotent too (when two race to
/// create one partition, the loser's statement fails and the next round finds it made).
/// Leader election arrives with the jobs that need exactly one actor.
struct MaintenanceService: Service {
    let database: Database
    let logger: Logger
    var dedupWindow: Duration = .seconds(7 * 86400)
    var interval: Duration = .seconds(300)
    /// Message ids deleted per statement, and statements per round at most: each delete is a
    /// short transaction, and a backlog (the first run on an old database) drains over rounds.
    var purgeBatch = 10_000
    var purgeBatchesPerRound = 100

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await ensureEventPartitions()
                await purgeIdempotencyKeys()
                await purgeEventMessageIDs()
                try await Task.sleep(for: interval)
            }
        }
    }

    private func ensureEventPartitions() async {
        do {
            let created = try await database.eventPartitionsEnsure(months: 4, logger: logger)
            if created > 0 { logger.info("created event partitions", metadata: ["count": "\(created)"]) }
        } catch {
            logger.warning("event partition maintenance failed", metadata: ["error": "\(error)"])
        }
    }

    private func purgeEventMessageIDs() async {
        var purged = 0
        do {
            for _ in 0..<purgeBatchesPerRound {
                let deleted = try await database.eventMessageIDsPurge(olderThan: dedupWindow, limit: purgeBatch, logger: logger)
                purged += deleted
                if deleted < purgeBatch { break }
            }
        } catch {
            logger.warning("message id purge failed", metadata: ["error": "\(error)"])
        }
        if purged > 0 { logger.info("forgot ingested message ids past the deduplication window", metadata: ["count": "\(purged)"]) }
    }

    private func purgeIdempotencyKeys() async {
        do {
            let purged = try await database.idempotencyPurgeExpired(olderThan: .seconds(24 * 60 * 60), logger: logger)
            if purged > 0 { logger.info("purged expired idempotency keys", metadata: ["count": "\(purged)"]) }
        } catch {
            logger.warning("idempotency purge failed", metadata: ["error": "\(error)"])
        }
    }
}
