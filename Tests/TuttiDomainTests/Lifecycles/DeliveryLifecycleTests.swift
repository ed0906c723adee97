import Testing
import TuttiDomain

@Suite("Delivery lifecycle")
struct DeliveryLifecycleTests {
    private let policy = QueueRetryPolicy(base: .seconds(2), cap: .seconds(60))

    @Test func anAcceptedAttemptIsRecordedAsSentAndEndsTheLifecycle() {
        var delivery = DeliveryLifecycle(maxAttempts: 3, policy: policy)
        #expect(delivery.claim() == .send(attempt: 1))
        #expect(delivery.answered(.accepted(providerMessageID: "p-1")) == .recordSent)
        #expect(delivery.state == .sent(attempt: 1))
        // A final state takes no more events: a late or repeated answer changes nothing.
        #expect(delivery.answered(.failed(reason: "late")) == .ignore)
        #expect(delivery.claim() == .ignore)
        #expect(delivery.leaseLapsed() == .ignore)
        #expect(delivery.state == .sent(attempt: 1))
    }

    @Test func aRefusalIsDeadLetteredAtOnceWhateverAttemptsAreLeft() {
        var delivery = DeliveryLifecycle.claimed(attempt: 1, maxAttempts: 20, policy: policy)
        #expect(delivery.answered(.failed(reason: "HTTP 400")) == .deadLetter(reason: "HTTP 400"))
        #expect(delivery.state == .deadLettered(reason: "HTTP 400"))
    }

    @Test func aRetryableFailureWaitsTheBackoffOfItsAttempt() {
        var generator = SplitMix64(seed: 7)
        for attempt in Int32(1)...5 {
            var delivery = DeliveryLifecycle.claimed(attempt: attempt, maxAttempts: 6, policy: policy)
            let decision = delivery.answered(.retryLater(after: nil, reason: "HTTP 503"), using: &generator)
            guard case .retry(let after, let error) = decision else {
                Issue.record("attempt \(attempt): expected a retry, got \(decision)")
                continue
            }
            #expect(policy.backoffRange(afterAttempt: attempt).contains(after))
            #expect(error == "HTTP 503")
            #expect(delivery.state == .queued(attemptsMade: attempt))
        }
    }

    @Test func aRetryAfterFromTheGatewayIsHonoured() {
        var generator = SplitMix64(seed: 1)
        var delivery = DeliveryLifecycle.claimed(attempt: 1, maxAttempts: 5, policy: policy)
        guard
            case .retry(let after, _) = delivery.answered(
                .retryLater(after: .seconds(120), reason: "HTTP 429"), using: &generator)
        else {
            Issue.record("expected a retry")
            return
        }
        // The gateway's 120 s, spread by at most a tenth so waiting jobs do not return at once.
        #expect(after >= .seconds(120) && after <= .seconds(132))
    }

    @Test func theLastAttemptsFailureDeadLettersWithTheAttemptCountInTheReason() {
        var delivery = DeliveryLifecycle.claimed(attempt: 3, maxAttempts: 3, policy: policy)
        #expect(delivery.isFinalAttempt)
        #expect(
            delivery.answered(.retryLater(after: nil, reason: "timeout")) == .deadLetter(reason: "attempt 3 of 3 failed: timeout")
        )
        #expect(delivery.state == .deadLettered(reason: "attempt 3 of 3 failed: timeout"))
    }

    @Test func aDeliveryNotSentBecauseOfTheCircuitKeepsItsAttempt() {
        var delivery = DeliveryLifecycle(state: .queued(attemptsMade: 2), maxAttempts: 3, policy: policy)
        #expect(delivery.claim() == .send(attempt: 3))
        #expect(delivery.notSent(wait: .seconds(5)) == .postpone(after: .seconds(5)))
        #expect(delivery.state == .queued(attemptsMade: 2))
        // So the next claim is attempt 3 again, not a dead letter.
        #expect(delivery.claim() == .send(attempt: 3))
        #expect(delivery.isFinalAttempt, "attempt 3 of 3 is still the last")
    }

    @Test func aPostponementIsCutToADay() {
        var delivery = DeliveryLifecycle.claimed(attempt: 1, maxAttempts: 3)
        #expect(delivery.notSent(wait: .seconds(1_000_000)) == .postpone(after: .seconds(86_400)))
        var negative = DeliveryLifecycle.claimed(attempt: 1, maxAttempts: 3)
        #expect(negative.notSent(wait: .seconds(-5)) == .postpone(after: .zero))
    }

    @Test func aLapsedLeaseCountsItsAttemptAndDeadLettersTheLastOne() {
        var early = DeliveryLifecycle.claimed(attempt: 1, maxAttempts: 2)
        #expect(early.leaseLapsed() == .retry(after: .zero, error: "lease expired"))
        #expect(early.state == .queued(attemptsMade: 1))
        #expect(early.claim() == .send(attempt: 2))
        #expect(early.leaseLapsed() == .deadLetter(reason: "lease expired on attempt 2 of 2"))
    }

    @Test func aJobWhoseMessageIsGoneIsDeadLettered() {
        var delivery = DeliveryLifecycle.claimed(attempt: 1, maxAttempts: 5)
        #expect(delivery.undeliverable(reason: "the channel was deleted") == .deadLetter(reason: "the channel was deleted"))
    }

    @Test func eventsThatNeedAnAttemptInFlightAreIgnoredWhileQueued() {
        var delivery = DeliveryLifecycle(maxAttempts: 3)
        #expect(delivery.answered(.accepted(providerMessageID: nil)) == .ignore)
        #expect(delivery.notSent(wait: .seconds(1)) == .ignore)
        #expect(delivery.leaseLapsed() == .ignore)
        #expect(delivery.undeliverable(reason: "x") == .ignore)
        #expect(delivery.state == .queued(attemptsMade: 0))
    }

    /// Every sequence of events up to six long, from every starting attempt: the attempts
    /// used never exceed the maximum, a job is sent at most once, and a final state is final.
    @Test func noSequenceOfEventsSendsTwiceOrUsesMoreAttemptsThanAllowed() {
        enum Event: CaseIterable { case claim, accepted, retryable, refused, notSent, lapsed }
        let maxAttempts: Int32 = 3
        func apply(_ event: Event, to delivery: inout DeliveryLifecycle, generator: inout SplitMix64)
            -> DeliveryLifecycle.Decision
        {
            switch event {
            case .claim: delivery.claim()
            case .accepted: delivery.answered(.accepted(providerMessageID: nil), using: &generator)
            case .retryable: delivery.answered(.retryLater(after: nil, reason: "503"), using: &generator)
            case .refused: delivery.answered(.failed(reason: "400"), using: &generator)
            case .notSent: delivery.notSent(wait: .seconds(1))
            case .lapsed: delivery.leaseLapsed()
            }
        }
        var sequences: [[Event]] = [[]]
        for _ in 0..<6 { sequences = sequences.flatMap { prefix in Event.allCases.map { prefix + [$0] } } }
        var generator = SplitMix64(seed: 3)
        for sequence in sequences {
            var delivery = DeliveryLifecycle(maxAttempts: maxAttempts, policy: policy)
            var sends = 0
            var recordedSent = 0
            var finalState: DeliveryLifecycle.State?
            for event in sequence {
                let decision = apply(event, to: &delivery, generator: &generator)
                if let finalState { #expect(delivery.state == finalState && decision == .ignore, "\(sequence)") }
                switch decision {
                case .send(let attempt):
                    sends += 1
                    #expect(attempt <= maxAttempts, "\(sequence)")
                case .recordSent: recordedSent += 1
                default: break
                }
                switch delivery.state {
                case .sent, .deadLettered: finalState = finalState ?? delivery.state
                case .queued(let made): #expect(made < maxAttempts, "\(sequence)")
                case .inFlight(let attempt): #expect(attempt <= maxAttempts, "\(sequence)")
                }
            }
            #expect(recordedSent <= 1, "\(sequence)")
            #expect(sends <= Int(maxAttempts) + sequence.filter { $0 == .notSent }.count, "\(sequence)")
        }
    }
}
