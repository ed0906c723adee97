import Logging
import ServiceLifecycle
import TuttiStore

/// Periodic housekeeping that no request does for itself. For now: forget idempotent
/// responses older than 24 hours.
///
/// Several schedulers may run; the purge is a single idempotent DELETE, so two running at once
/// is merely wasted work, never wrong. (Leader election arrives with the jobs that need it.)
struct MaintenanceService: Service {
    let database: Database
    let logger: Logger
    var interval: Duration = .seconds(300)

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await purgeIdempotencyKeys()
                try await Task.sleep(for: interval)
            }
        }
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
