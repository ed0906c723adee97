import Logging
import ServiceLifecycle
import TuttiQueue
import TuttiRuntime
import TuttiStore

/// The queue's housekeeping: every `interval` (default 2 s) scheduled jobs that are due become
/// ready and lapsed leases are rescued; every `statsInterval` (10 s) the depth gauges are
/// refreshed; every `purgeInterval` (5 min) dead letters older than `deadLetterRetention`
/// (30 days) are deleted.
///
/// A dead worker's jobs come back within its lease plus `interval`: workers lease for at most
/// 25 s (and heartbeat longer work), so within 30 s. Several schedulers may run this at once:
/// each function re-checks every row it changes, so a second scheduler only wastes a little
/// work and never rescues or promotes a job twice.
struct QueueMaintenanceService: Service {
    let database: Database
    let logger: Logger
    var interval: Duration = .seconds(2)
    var statsInterval: Duration = .seconds(10)
    var purgeInterval: Duration = .seconds(300)
    var deadLetterRetention: Duration = .seconds(30 * 24 * 3600)

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            let clock = ContinuousClock()
            var nextStats = clock.now
            var nextPurge = clock.now
            while !Task.isCancelled {
                await promoteAndRescue()
                if clock.now >= nextStats {
                    await refreshGauges()
                    nextStats = clock.now + statsInterval
                }
                if clock.now >= nextPurge {
                    await purgeDeadLetters()
                    nextPurge = clock.now + purgeInterval
                }
                try await Task.sleep(for: interval)
            }
        }
    }

    private func promoteAndRescue() async {
        do {
            let promoted = try await database.queuePromoteDue(logger: logger)
            QueueMetrics.promoted(promoted)
            let (rescued, deadLettered) = try await database.queueRescueExpired(logger: logger)
            QueueMetrics.rescued(rescued)
            if rescued > 0 || deadLettered > 0 {
                logger.notice(
                    "rescued jobs whose lease lapsed",
                    metadata: ["queue.rescued": "\(rescued)", "queue.dead_lettered": "\(deadLettered)"])
            }
        } catch {
            logger.warning("queue promotion or rescue failed", metadata: ["error": "\(error)"])
        }
    }

    private func refreshGauges() async {
        do {
            QueueMetrics.record(try await database.queueStats(logger: logger))
        } catch {
            logger.warning("queue stats failed", metadata: ["error": "\(error)"])
        }
    }

    private func purgeDeadLetters() async {
        do {
            let purged = try await database.queueDeadLettersPurge(olderThan: deadLetterRetention, logger: logger)
            if purged > 0 { logger.info("purged old dead letters", metadata: ["count": "\(purged)"]) }
        } catch {
            logger.warning("dead letter purge failed", metadata: ["error": "\(error)"])
        }
    }
}
