import Foundation
import Logging
import ServiceLifecycle
import TuttiStore

/// Recomputes every tenant's customer value metric in full on a schedule: totals from the
/// events, RFM quintiles, and the BG/NBD and Gamma-Gamma fit behind `predicted_12m`.
/// Ingestion keeps totals and RFM scores current in between; only predictions wait for this.
///
/// Each tenant's recomputation holds a transaction-scoped advisory lock, so when several
/// schedulers run, one does each tenant and the others skip it.
struct CustomerValueService: Service {
    let database: Database
    let logger: Logger
    let interval: Duration

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await recomputeAll()
                try await Task.sleep(for: interval)
            }
        }
    }

    private func recomputeAll() async {
        let tenantIDs: [UUID]
        do {
            tenantIDs = try await database.tenantIDs(logger: logger)
        } catch {
            logger.warning("customer value recomputation could not list tenants", metadata: ["error": "\(error)"])
            return
        }
        for tenantID in tenantIDs where !Task.isCancelled {
            let clock = ContinuousClock()
            let start = clock.now
            do {
                let result = try await database.withTenant(tenantID, logger: logger) { session -> CustomerValueRecomputation? in
                    guard try await session.tryLockForTenantJob("customer-value") else { return nil }
                    return try await session.customerValueRecompute()
                }
                if let result, result.buyers > 0 {
                    logger.info(
                        "recomputed customer values",
                        metadata: ["tenant.id": "\(tenantID)", "buyers": "\(result.buyers)", "model": "\(result.model != nil)",
                                   "duration": "\(clock.now - start)"])
                }
            } catch {
                logger.warning("customer value recomputation failed", metadata: ["tenant.id": "\(tenantID)", "error": "\(error)"])
            }
        }
    }
}
