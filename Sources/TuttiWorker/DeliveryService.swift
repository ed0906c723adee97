import Curl
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import TuttiDomain
import TuttiStore

/// The worker's delivery loop (docs/delivery.md).
///
/// It learns which tenants have ready deliveries from `queue_ready_tenants()` and from
/// `NOTIFY tutti_queue` hints (a LISTEN on one pooled connection), serves them in rotation
/// one claim each, and for each claim sends through the channels' connectors and records
/// the outcomes (``DeliveryRunner``). When no tenant has work it waits for a hint, polling
/// every ``DeliveryOptions/pollInterval`` as the fallback.
///
/// On graceful shutdown (SIGTERM) it stops claiming, finishes the batch it holds — sends
/// end within their timeouts, outcomes are recorded — and returns. Jobs it could not finish
/// before the process is killed keep their leases until those lapse and the scheduler
/// rescues them; nothing is lost, at worst sent twice with the same idempotency key.
public struct DeliveryService: Service {
    let runner: DeliveryRunner
    let options: DeliveryOptions
    let logger: Logger

    public init(
        database: Database, transport: CurlTransport, keyring: ChannelKeyring, options: DeliveryOptions, worker: String, logger: Logger
    ) {
        self.runner = DeliveryRunner(
            database: database, transport: transport, keyring: keyring, cache: ChannelCache(), options: options, worker: worker, logger: logger)
        self.options = options
        self.logger = logger
    }

    public func run() async throws {
        let hints = QueueHints()
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await listen(hints) }
            await claimLoop(hints)
            group.cancelAll()
        }
    }

    private func claimLoop(_ hints: QueueHints) async {
        var rotation = TenantRotation()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            for tenant in await hints.take() { rotation.hint(tenant) }
            do {
                if let claim = try await runner.database.queueClaimNext(
                    &rotation, queue: TenantSession.deliveryQueue, worker: runner.worker, limit: options.batchSize, lease: options.lease,
                    logger: logger)
                {
                    try await runner.run(claim)
                    continue
                }
            } catch {
                logger.error("delivery batch failed; its leases lapse and are rescued", metadata: ["error": "\(error)"])
            }
            await idle(hints)
        }
        logger.notice("delivery loop stopped")
    }

    /// Waits for a hint, the poll interval or shutdown, looking every 20 ms.
    private func idle(_ hints: QueueHints) async {
        let deadline = ContinuousClock.now + options.pollInterval
        while ContinuousClock.now < deadline, !Task.isShuttingDownGracefully, !Task.isCancelled {
            if await !hints.isEmpty { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// LISTENs for queue hints until cancelled, reconnecting after errors.
    private func listen(_ hints: QueueHints) async {
        while !Task.isCancelled {
            do {
                try await runner.database.client.withConnection { connection in
                    try await connection.listen(on: "tutti_queue") { notifications in
                        for try await notification in notifications {
                            guard let hint = QueueNotification(payload: notification.payload),
                                hint.queue == TenantSession.deliveryQueue
                            else { continue }
                            await hints.add(hint.tenantID)
                        }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("LISTEN tutti_queue failed; polling until it is back", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
