import Foundation
import Logging
import ServiceLifecycle
import TuttiDomain
import TuttiQueue
import TuttiStore

/// One lane of the delivery loop: it owns its tenant rotation, its claims and what is left
/// to record of its last batch, with no callbacks from the store or the senders.
///
/// Each turn: find the next tenant with ready deliveries (``TenantRotation``, refilled from
/// `queue_ready_tenants()` and from NOTIFY hints), record the last batch's accepted
/// deliveries and claim the next batch in one round trip (``DeliveryLedger/cycle(tenant:recording:limit:)``)
/// — or, when the next tenant is another, record them on their own first — then let the
/// contact policy admit the batch (``ContactPolicyGate``; nothing to do for a tenant without a
/// policy), send what it admitted (``BatchSender``) and persist its failures at once. When no tenant has work the lane
/// waits for a hint, polling every ``DeliveryOptions/pollInterval`` as the fallback.
struct DeliveryLane: Sendable {
    /// How long a claim or record may still take once graceful shutdown has begun. With the
    /// database up one takes milliseconds (about 20 ms for a batch of 500).
    static let shutdownPatience: Duration = .seconds(1)

    let index: Int
    let database: Database
    let ledger: DeliveryLedger
    let sender: BatchSender
    /// Renders the admitted campaign messages, or ends those that must not be sent.
    let preparation: CampaignPreparation
    let hints: QueueHints
    let batchSize: Int
    let pollInterval: Duration
    let logger: Logger

    /// The contact policy, between the claim and the send.
    private var gate: ContactPolicyGate { ContactPolicyGate(database: database, logger: logger) }

    func run() async {
        var rotation = TenantRotation()
        var unrecorded: BatchOutcome?
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            for tenant in await hints.take(lane: index) { rotation.hint(tenant) }
            do {
                // What is unrecorded goes with this claim or on its own; on an error its
                // leases lapse and are rescued.
                let recording = unrecorded
                unrecorded = nil
                if let claimed = try await claimUnderPatience(&rotation, recording: recording) {
                    let batch = try await preparation.prepare(try await gate.admit(claimed))
                    unrecorded = try await ledger.recordFailures(try await sender.send(batch))
                    continue
                }
            } catch {
                if Task.isShuttingDownGracefully {
                    logger.notice("stopped waiting for the database at shutdown; leases held lapse and are rescued")
                } else {
                    logger.error("delivery batch failed; its leases lapse and are rescued", metadata: ["error": "\(error)"])
                }
            }
            await idle()
        }
        if let last = unrecorded {
            do {
                try await withShutdownPatience(Self.shutdownPatience) {
                    _ = try await ledger.cycle(tenant: last.tenantID, recording: last, limit: 0)
                }
            } catch {
                logger.error("recording the last batch failed; its leases lapse and are rescued", metadata: ["error": "\(error)"])
            }
        }
    }

    /// The next batch from the tenants in `rotation`, recording `recording` on the way: with
    /// the claim when the claim is from its tenant, else on its own first. Nil when no tenant
    /// has ready deliveries; `recording` is then recorded.
    func claimNext(_ rotation: inout TenantRotation, recording: BatchOutcome?) async throws -> DeliveryBatch? {
        var recording = recording
        var search = ReadyTenantSearch()
        while let tenant = try await database.queueNextTenant(
            &rotation, queue: TenantSession.deliveryQueue, search: &search, logger: logger)
        {
            if let other = recording, other.tenantID != tenant {
                _ = try await ledger.cycle(tenant: other.tenantID, recording: other, limit: 0)
                recording = nil
            }
            let claimed = try await ledger.cycle(tenant: tenant, recording: recording, limit: batchSize)
            recording = nil
            if !claimed.isEmpty { return DeliveryBatch(tenantID: tenant, deliveries: claimed) }
        }
        if let recording { _ = try await ledger.cycle(tenant: recording.tenantID, recording: recording, limit: 0) }
        return nil
    }

    /// ``claimNext(_:recording:)`` under ``shutdownPatience``. The closure that runs it cannot
    /// hold the `inout` rotation, so a copy goes in and comes back, also when the claim fails:
    /// the rotation then moves on past the failing tenant, so one failing tenant does not hold
    /// up the others.
    private func claimUnderPatience(_ rotation: inout TenantRotation, recording: BatchOutcome?) async throws -> DeliveryBatch? {
        let start = rotation
        let (claim, rotated) = try await withShutdownPatience(Self.shutdownPatience) {
            var rotation = start
            do {
                return (Result<DeliveryBatch?, any Error>.success(try await claimNext(&rotation, recording: recording)), rotation)
            } catch {
                return (.failure(error), rotation)
            }
        }
        rotation = rotated
        return try claim.get()
    }

    /// Waits for a hint, the poll interval or shutdown, looking every 20 ms.
    private func idle() async {
        let deadline = ContinuousClock.now + pollInterval
        while ContinuousClock.now < deadline, !Task.isShuttingDownGracefully, !Task.isCancelled {
            if await !hints.isEmpty(lane: index) { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
