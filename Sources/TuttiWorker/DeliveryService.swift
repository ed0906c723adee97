import Curl
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import TuttiDomain
import TuttiStore

/// The worker's delivery loop (docs/delivery.md).
///
/// ``DeliveryOptions/lanes`` lanes run side by side, each a loop over the tenants with ready
/// deliveries: it learns them from `queue_ready_tenants()` and from `NOTIFY tutti_queue` hints
/// (a LISTEN on one pooled connection), serves them in rotation one claim each, sends each
/// batch through the channels' connectors, and records the accepted deliveries with its next
/// claim (``DeliveryRunner``). When no tenant has work a lane waits for a hint, polling every
/// ``DeliveryOptions/pollInterval`` as the fallback.
///
/// On graceful shutdown (SIGTERM) the lanes stop claiming, finish the batches they hold —
/// sends end within their timeouts, outcomes are recorded — and return. Jobs not finished
/// before the process is killed keep their leases until those lapse and the scheduler
/// rescues them; nothing is lost, at worst sent twice with the same idempotency key.
/// A claim or record still waiting for the database ``shutdownPatience`` after SIGTERM is
/// cancelled, so a worker whose database is gone does not sit out the grace period.
public struct DeliveryService: Service {
    /// How long a claim or record may still take once graceful shutdown has begun. With the
    /// database up one takes milliseconds (about 20 ms for a batch of 500).
    static let shutdownPatience: Duration = .seconds(1)

    /// One per lane, each with its own transport: a transport drives its transfers on one
    /// thread, and at tens of thousands of requests a second one thread is not enough.
    let runners: [DeliveryRunner]
    let options: DeliveryOptions
    let logger: Logger

    public init(
        database: Database, transports: [CurlTransport], keyring: ChannelKeyring, options: DeliveryOptions, worker: String, logger: Logger
    ) {
        precondition(!transports.isEmpty, "the delivery service needs a transport")
        let cache = ChannelCache()
        runners = (0..<options.lanes).map { lane in
            DeliveryRunner(
                database: database, transport: transports[lane % transports.count], keyring: keyring, cache: cache, options: options,
                worker: worker, logger: logger)
        }
        self.options = options
        self.logger = logger
    }

    private var database: Database { runners[0].database }

    public func run() async throws {
        let hints = QueueHints(lanes: options.lanes)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await listen(hints) }
            await withDiscardingTaskGroup { lanes in
                for lane in 0..<options.lanes { lanes.addTask { await claimLoop(lane: lane, hints) } }
            }
            group.cancelAll()
        }
        logger.notice("delivery loop stopped")
    }

    private func claimLoop(lane: Int, _ hints: QueueHints) async {
        let runner = runners[lane]
        var rotation = TenantRotation()
        var carry: FinishedBatch?
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            for tenant in await hints.take(lane: lane) { rotation.hint(tenant) }
            do {
                // The carried batch is recorded with this claim or on its own; on an error its
                // leases lapse and are rescued.
                let finishing = carry
                carry = nil
                if let batch = try await claimNext(runner, &rotation, finishing: finishing) {
                    carry = try await runner.send(batch)
                    continue
                }
            } catch {
                if Task.isShuttingDownGracefully {
                    logger.notice("stopped waiting for the database at shutdown; leases held lapse and are rescued")
                } else {
                    logger.error("delivery batch failed; its leases lapse and are rescued", metadata: ["error": "\(error)"])
                }
            }
            await idle(lane: lane, hints)
        }
        if let finished = carry {
            do { try await withShutdownPatience(Self.shutdownPatience) { try await runner.finish(finished) } } catch {
                logger.error("recording the last batch failed; its leases lapse and are rescued", metadata: ["error": "\(error)"])
            }
        }
    }

    /// ``DeliveryRunner/claimNext(_:finishing:)`` under ``shutdownPatience``. The closure that
    /// runs it cannot hold the `inout` rotation, so a copy goes in and comes back, also when
    /// the claim fails: the rotation then moves on past the failing tenant, as it does in
    /// place, so one failing tenant does not hold up the others.
    private func claimNext(
        _ runner: DeliveryRunner, _ rotation: inout TenantRotation, finishing carry: FinishedBatch?
    ) async throws -> DeliveryBatch? {
        let start = rotation
        let (claim, rotated) = try await withShutdownPatience(Self.shutdownPatience) {
            var rotation = start
            var carry = carry
            do {
                return (Result<DeliveryBatch?, any Error>.success(try await runner.claimNext(&rotation, finishing: &carry)), rotation)
            } catch {
                return (.failure(error), rotation)
            }
        }
        rotation = rotated
        return try claim.get()
    }

    /// Waits for a hint, the poll interval or shutdown, looking every 20 ms.
    private func idle(lane: Int, _ hints: QueueHints) async {
        let deadline = ContinuousClock.now + options.pollInterval
        while ContinuousClock.now < deadline, !Task.isShuttingDownGracefully, !Task.isCancelled {
            if await !hints.isEmpty(lane: lane) { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// LISTENs for queue hints until cancelled, reconnecting after errors.
    private func listen(_ hints: QueueHints) async {
        while !Task.isCancelled {
            do {
                try await database.client.withConnection { connection in
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
