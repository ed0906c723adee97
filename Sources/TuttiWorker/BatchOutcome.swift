import Foundation
import TuttiDomain
import TuttiQueue
import TuttiStore

/// What a sent batch comes to, decided delivery by delivery by each job's
/// ``DeliveryLifecycle``: the accepted deliveries to record, the failures (retry or dead
/// letter) and postponements to persist, and each channel's circuit tally.
struct BatchOutcome: Sendable {
    var tenantID: UUID
    var accepted: [AcceptedDelivery] = []
    var failures: [QueueFailure] = []
    var postponed: [QueuePostponement] = []
    var attempts: [MessageAttemptRecord] = []
    var circuits: [UUID: CircuitBreaker.Tally] = [:]

    init(tenantID: UUID) {
        self.tenantID = tenantID
    }

    init(tenantID: UUID, results: [DeliveryResult], circuitsSeen: [UUID: CircuitBreaker.State]) {
        self.tenantID = tenantID
        accepted.reserveCapacity(results.count)
        for result in results {
            var lifecycle = DeliveryLifecycle.claimed(attempt: result.job.lease.attempt, maxAttempts: result.job.maxAttempts)
            let decision: DeliveryLifecycle.Decision
            switch result.outcome {
            case .sent(let outcome): decision = lifecycle.answered(outcome)
            case .notSent(let wait, _): decision = lifecycle.notSent(wait: wait)
            case .undeliverable(let reason): decision = lifecycle.undeliverable(reason: reason)
            }
            if case .sent(let outcome) = result.outcome, let channel = result.channelID {
                circuits[channel, default: CircuitBreaker.Tally()].add(outcome)
            }
            switch decision {
            case .recordSent:
                if let delivery = result.acceptedDelivery { accepted.append(delivery) }
            case .postpone(let after):
                postponed.append(QueuePostponement(lease: result.job.lease, delay: after))
            case .retry:
                if let failure = QueueFailure(lease: result.job.lease, decision: decision) { failures.append(failure) }
                if let attempt = result.attemptRecord(isFinal: false) { attempts.append(attempt) }
            case .deadLetter:
                if let failure = QueueFailure(lease: result.job.lease, decision: decision) { failures.append(failure) }
                if let attempt = result.attemptRecord(isFinal: true) { attempts.append(attempt) }
            case .send, .ignore:
                continue
            }
        }
        // A clean batch on a circuit that was closed with no failures changes nothing.
        circuits = circuits.filter { channel, tally in
            !(tally.isClean && circuitsSeen[channel] == .closed(consecutiveFailures: 0))
        }
    }

    /// Whether anything must be persisted at once (failures, postponements); accepted
    /// deliveries alone wait to be recorded with the lane's next claim.
    var hasFailures: Bool { !failures.isEmpty || !postponed.isEmpty }
}
