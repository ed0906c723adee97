import Foundation
import Testing
import TuttiDomain

@Suite("Circuit breaker")
struct CircuitBreakerTests {
    private let start = Date(timeIntervalSince1970: 1_800_000_000)
    private func failures(_ count: Int, answered: Bool = false) -> CircuitBreaker.Tally {
        var tally = CircuitBreaker.Tally()
        if answered { tally.add(.accepted(providerMessageID: nil)) }
        for _ in 0..<count { tally.add(.retryLater(after: nil, reason: "HTTP 503")) }
        return tally
    }

    @Test func aClosedCircuitSendsAndCountsConsecutiveFailures() {
        var circuit = CircuitBreaker(threshold: 5, cooldown: .seconds(30))
        #expect(circuit.check(now: start) == .send)
        circuit.record(failures(3), now: start)
        #expect(circuit.state == .closed(consecutiveFailures: 3))
        #expect(circuit.check(now: start) == .send)
    }

    @Test func failuresAcrossBatchesOpenTheCircuitAtTheThreshold() {
        var circuit = CircuitBreaker(threshold: 5, cooldown: .seconds(30))
        circuit.record(failures(3), now: start)
        circuit.record(failures(2), now: start)
        #expect(circuit.state == .open(probeAt: start.addingTimeInterval(30)))
        #expect(circuit.check(now: start.addingTimeInterval(10)) == .wait(retryAfter: .seconds(20)))
    }

    @Test func anAnswerResetsTheCountToTheFailuresAfterIt() {
        var circuit = CircuitBreaker(state: .closed(consecutiveFailures: 4), threshold: 5, cooldown: .seconds(30))
        var tally = failures(2)
        tally.add(.failed(reason: "HTTP 400"))  // a refusal is an answer: the gateway is up
        tally.add(.retryLater(after: nil, reason: "timeout"))
        #expect(tally.answered && tally.trailingFailures == 1 && tally.lastFailure == "timeout")
        circuit.record(tally, now: start)
        #expect(circuit.state == .closed(consecutiveFailures: 1))
    }

    @Test func aBatchThatEndsInEnoughFailuresOpensEvenAfterAnAnswer() {
        var circuit = CircuitBreaker(threshold: 3, cooldown: .seconds(30))
        circuit.record(failures(3, answered: true), now: start)
        #expect(circuit.state == .open(probeAt: start.addingTimeInterval(30)))
    }

    @Test func exactlyOneCheckTakesTheProbeOnceTheCooldownIsOver() {
        var circuit = CircuitBreaker(state: .open(probeAt: start), threshold: 5, cooldown: .seconds(30))
        #expect(circuit.check(now: start) == .probe)
        #expect(circuit.state == .halfOpen(probeUntil: start.addingTimeInterval(30)))
        // Every other check while the probe is out waits for its verdict.
        #expect(circuit.check(now: start.addingTimeInterval(1)) == .wait(retryAfter: .seconds(29)))
    }

    @Test func aSuccessfulProbeClosesTheCircuit() {
        var circuit = CircuitBreaker(
            state: .halfOpen(probeUntil: start.addingTimeInterval(30)), threshold: 5, cooldown: .seconds(30))
        circuit.record(failures(0, answered: true), now: start.addingTimeInterval(2))
        #expect(circuit.state == .closed(consecutiveFailures: 0))
        #expect(circuit.check(now: start.addingTimeInterval(2)) == .send)
    }

    @Test func aFailedProbeReopensForAnotherCooldown() {
        var circuit = CircuitBreaker(
            state: .halfOpen(probeUntil: start.addingTimeInterval(30)), threshold: 5, cooldown: .seconds(30))
        circuit.record(failures(1), now: start.addingTimeInterval(2))
        #expect(circuit.state == .open(probeAt: start.addingTimeInterval(32)))
    }

    @Test func aProbeThatNeverReportsFreesTheSlotAfterACooldown() {
        var circuit = CircuitBreaker(state: .halfOpen(probeUntil: start), threshold: 5, cooldown: .seconds(30))
        #expect(circuit.check(now: start.addingTimeInterval(1)) == .probe)
        #expect(circuit.state == .halfOpen(probeUntil: start.addingTimeInterval(31)))
    }

    @Test func aWaitIsNeverShorterThanATenthOfASecond() {
        var circuit = CircuitBreaker(state: .open(probeAt: start.addingTimeInterval(0.01)), threshold: 5, cooldown: .seconds(30))
        #expect(circuit.check(now: start) == .wait(retryAfter: .milliseconds(100)))
    }

    /// From every state, every tally: the circuit opens exactly when the failures since the
    /// last answer reach the threshold, and closes whenever a batch got an answer and ended
    /// below it.
    @Test func theCircuitOpensExactlyAtTheThreshold() {
        let threshold = 4
        let states: [CircuitBreaker.State] =
            (0..<threshold).map { .closed(consecutiveFailures: $0) } + [.open(probeAt: start), .halfOpen(probeUntil: start)]
        for state in states {
            for answered in [false, true] {
                for trailing in 0...threshold + 1 where answered || trailing > 0 {
                    var circuit = CircuitBreaker(state: state, threshold: threshold, cooldown: .seconds(10))
                    circuit.record(CircuitBreaker.Tally(answered: answered, trailingFailures: trailing), now: start)
                    let before: Int
                    switch state {
                    case .closed(let count): before = count
                    case .open, .halfOpen: before = threshold
                    }
                    let count = answered ? trailing : before + trailing
                    if count >= threshold {
                        #expect(circuit.state == .open(probeAt: start.addingTimeInterval(10)), "\(state) \(answered) \(trailing)")
                    } else {
                        #expect(circuit.state == .closed(consecutiveFailures: count), "\(state) \(answered) \(trailing)")
                    }
                }
            }
        }
    }
}
