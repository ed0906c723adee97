import Foundation
import Logging
import TuttiDomain
import TuttiStore

extension ImportRunner {
    /// Refreshes the import's heartbeat until cancelled or until the import is no longer
    /// running. A failed refresh is logged and tried again at the next beat: only a process
    /// that stops beating for `TUTTI_IMPORT_STALE_SECONDS` loses its import.
    func beat() async {
        let id = importID
        while true {
            do {
                try await Task.sleep(for: heartbeatInterval)
            } catch {
                return
            }
            do {
                let running = try await database.withTenant(principal.tenantID, logger: logger) { try await $0.importHeartbeat(id: id) }
                if !running { return }
            } catch {
                logger.warning("import heartbeat not stored", metadata: ["import.id": "\(id.lowercasedText)", "error": "\(error)"])
            }
        }
    }
}
