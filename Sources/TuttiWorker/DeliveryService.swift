import Curl
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import TuttiDomain
import TuttiQueue
import TuttiRuntime
import TuttiStore

/// The worker's delivery loop (docs/delivery.md).
///
/// ``DeliveryOptions/lanes`` lanes (``DeliveryLane``) run side by side, each with its own
/// transport, claiming from the tenants with ready deliveries in rotation; one LISTEN on a
/// pooled connection turns `NOTIFY tutti_queue` into hints that wake every idle lane.
///
/// On graceful shutdown (SIGTERM) the lanes stop claiming, finish the batches they hold —
/// sends end within their timeouts, outcomes are recorded — and return. Jobs not finished
/// before the process is killed keep their leases until those lapse and the scheduler
/// rescues them; nothing is lost, at worst sent twice with the same idempotency key.
/// A claim or record still waiting for the database ``DeliveryLane/shutdownPatience`` after
/// SIGTERM is cancelled, so a worker whose database is gone does not sit out the grace period.
public struct DeliveryService: Service {
    let database: Database
    let transports: [CurlTransport]
    let options: DeliveryOptions
    let worker: String
    let directory: ChannelDirectory
    /// Signs the unsubscribe and preference links of campaign messages.
    let links: CampaignLinks
    let logger: Logger

    /// `transports` are used one per lane, round robin: a transport drives its transfers on
    /// one thread, and at tens of thousands of requests a second one thread is not enough.
    public init(
        database: Database, transports: [CurlTransport], keyring: ChannelKeyring, options: DeliveryOptions, worker: String,
        publicURL: String, logger: Logger
    ) {
        precondition(!transports.isEmpty, "the delivery service needs a transport")
        self.database = database
        self.transports = transports
        self.options = options
        self.worker = worker
        self.directory = ChannelDirectory(database: database, keyring: keyring, cache: ChannelCache(), logger: logger)
        self.links = CampaignLinks(baseURL: publicURL, keys: LinkKeyCache(keyring: keyring))
        self.logger = logger
    }

    public func run() async throws {
        let hints = QueueHints(lanes: options.lanes)
        let circuits = CircuitGate(
            database: database, threshold: options.circuitThreshold, cooldown: options.circuitCooldown, logger: logger)
        let ledger = DeliveryLedger(database: database, circuits: circuits, worker: worker, lease: options.lease, logger: logger)
        let templates = TemplateVersionCache()
        let lanes = (0..<options.lanes).map { index in
            DeliveryLane(
                index: index, database: database, ledger: ledger,
                sender: BatchSender(
                    database: database, ledger: ledger, directory: directory, transport: transports[index % transports.count],
                    inFlightPerChannel: options.inFlightPerChannel, logger: logger),
                preparation: CampaignPreparation(database: database, templates: templates, links: links, logger: logger),
                hints: hints, batchSize: options.batchSize, pollInterval: options.pollInterval, logger: logger)
        }
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await listen(hints) }
            await withDiscardingTaskGroup { running in
                for lane in lanes { running.addTask { await lane.run() } }
            }
            group.cancelAll()
        }
        logger.notice("delivery loop stopped")
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
