import Foundation
import Testing
import TuttiDomain
import TuttiQueue
import TuttiStore

@testable import TuttiWorker

/// How a sent batch's results become what the worker persists, without a database: each
/// delivery's lifecycle decides, the outcome only sorts the decisions.
@Suite("Batch outcome")
struct BatchOutcomeTests {
    private let tenant = UUID()
    private let channel = UUID()
    private let other = UUID()

    private func result(
        _ id: Int64, attempt: Int32 = 1, maxAttempts: Int32 = 3, channel: UUID? = nil, _ outcome: DeliveryResult.Outcome
    )
        -> DeliveryResult
    {
        let job = ClaimedQueueJob(
            tenantID: tenant, queue: "delivery", lease: QueueLease(jobID: id, attempt: attempt), priority: .normal, payload: "{}",
            uniqueKey: nil, maxAttempts: maxAttempts, runAt: Date())
        return DeliveryResult(job: job, messageID: UUID(), channelID: channel ?? self.channel, outcome: outcome, httpStatus: 202)
    }

    @Test func acceptedDeliveriesAreLeftToRecordWithTheNextClaimAndNothingElseIsPersisted() {
        let outcome = BatchOutcome(
            tenantID: tenant,
            results: [result(1, .sent(.accepted(providerMessageID: "a"))), result(2, .sent(.accepted(providerMessageID: nil)))],
            circuitsSeen: [channel: .closed(consecutiveFailures: 0)])
        #expect(outcome.accepted.map(\.lease.jobID) == [1, 2])
        #expect(outcome.accepted.first?.providerMessageID == "a")
        #expect(!outcome.hasFailures && outcome.attempts.isEmpty)
        #expect(outcome.circuits.isEmpty, "a clean batch on a healthy circuit writes nothing")
    }

    @Test func eachFailureIsPersistedAsItsLifecycleDecided() {
        let outcome = BatchOutcome(
            tenantID: tenant,
            results: [
                result(1, attempt: 1, .sent(.retryLater(after: .seconds(30), reason: "HTTP 429"))),
                result(2, attempt: 3, maxAttempts: 3, .sent(.retryLater(after: nil, reason: "HTTP 503"))),
                result(3, .sent(.failed(reason: "HTTP 400"))),
                result(4, .notSent(wait: .seconds(7), reason: "circuit open")),
                result(5, .undeliverable(reason: "the channel was deleted")),
            ],
            circuitsSeen: [channel: .closed(consecutiveFailures: 0)])
        let byJob = Dictionary(uniqueKeysWithValues: outcome.failures.map { ($0.lease.jobID, $0) })
        guard case .retryIn(let delay)? = byJob[1]?.disposition else {
            Issue.record("job 1 should retry: \(String(describing: byJob[1]))")
            return
        }
        #expect(delay >= .seconds(30) && delay <= .seconds(33), "the gateway's Retry-After, spread by at most a tenth")
        #expect(byJob[2]?.disposition == .permanent && byJob[2]?.message == "attempt 3 of 3 failed: HTTP 503")
        #expect(byJob[3]?.disposition == .permanent)
        #expect(byJob[5]?.disposition == .permanent)
        #expect(byJob[4] == nil)
        #expect(outcome.postponed == [QueuePostponement(lease: QueueLease(jobID: 4, attempt: 1), delay: .seconds(7))])
        // Every attempt at a message is recorded but the one never sent; the last one marks the message dead.
        #expect(outcome.attempts.map(\.lease.jobID).sorted() == [1, 2, 3, 5])
        #expect(outcome.attempts.first { $0.lease.jobID == 2 }?.isFinal == true)
        #expect(outcome.attempts.first { $0.lease.jobID == 1 }?.isFinal == false)
        #expect(outcome.accepted.isEmpty)
    }

    @Test func theCircuitTallyCountsOnlyWhatTheGatewayWasAsked() {
        let outcome = BatchOutcome(
            tenantID: tenant,
            results: [
                result(1, .sent(.accepted(providerMessageID: nil))),
                result(2, .sent(.retryLater(after: nil, reason: "timeout"))),
                result(3, .notSent(wait: .seconds(1), reason: "waiting for the probe")),
                result(4, channel: other, .sent(.failed(reason: "HTTP 400"))),
            ],
            circuitsSeen: [channel: .closed(consecutiveFailures: 0), other: .closed(consecutiveFailures: 2)])
        #expect(outcome.circuits[channel] == CircuitBreaker.Tally(answered: true, trailingFailures: 1, lastFailure: "timeout"))
        // A refusal is an answer: the other channel's two earlier failures are to be reset.
        #expect(outcome.circuits[other] == CircuitBreaker.Tally(answered: true, trailingFailures: 0, lastFailure: nil))
    }
}
