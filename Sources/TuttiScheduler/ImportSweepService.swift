import Foundation
import Logging
import ServiceLifecycle
import TuttiStore

/// Marks imports whose API process stopped as `failed`, every `interval` (default 15 s).
///
/// An import runs inside the `POST /v1/imports` request that streams it, so when the API process
/// dies (a crash, a kill, a lost machine) nothing is left to end it. The process running an
/// import refreshes its `heartbeat_at` with every chunk and every 10 s between chunks; an import
/// still `running` with no heartbeat for `staleAfter` (`TUTTI_IMPORT_STALE_SECONDS`, default
/// 60 s: six missed beats) has lost its process. It is marked failed with a reason that says
/// so; the rows it committed stay, and the client may send the file again (rows are
/// idempotent per identity). A process that was only paused and comes back finds its import
/// no longer running at its next chunk and stops.
///
/// Several schedulers may run this at once: the sweep re-checks status and heartbeat of every
/// row it changes, so an import is failed once, and never after a heartbeat that landed meanwhile.
struct ImportSweepService: Service {
    let database: Database
    let logger: Logger
    var staleAfter: Duration = .seconds(60)
    var interval: Duration = .seconds(15)

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await sweep()
                try await Task.sleep(for: interval)
            }
        }
    }

    func sweep() async {
        do {
            for stale in try await database.importsFailStale(olderThan: staleAfter, logger: logger) {
                logger.warning(
                    "import failed: its API process stopped",
                    metadata: [
                        "tenant.id": "\(stale.tenantID.uuidString.lowercased())", "import.id": "\(stale.id.uuidString.lowercased())",
                        "import.heartbeat_at": "\(stale.heartbeatAt)",
                    ])
            }
        } catch {
            logger.warning("import sweep failed", metadata: ["error": "\(error)"])
        }
    }
}
