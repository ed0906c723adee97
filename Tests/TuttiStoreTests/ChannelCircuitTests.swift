import Foundation
import Testing
import TuttiDomain
import TuttiStore
import TuttiTestSupport

/// The per-channel circuit breaker as persisted in `channel_states` (`channelCircuitRecord`
/// after each batch, `channelCircuitCheck` before sending; the rules are `CircuitBreaker`'s):
/// it opens after the threshold of consecutive failures, lets exactly one probe through once
/// the cool-down has passed, even to workers asking at once, closes when the probe succeeds
/// and opens again when it fails.
///
/// The cool-down is long and the tests bring the probe time forward instead of waiting it
/// out: on a busy machine a short cool-down can pass between two statements of a test.
@Suite("Channel circuit breaker")
struct ChannelCircuitTests {
    static let threshold = 3
    static let cooldown: Duration = .seconds(60)

    /// Records one batch of the channel's results.
    private func record(_ fixture: ChannelStateFixture, succeeded: Bool, trailingFailures: Int, in database: Database)
        async throws
    {
        try await database.withTenant(fixture.tenantID, logger: TestDatabase.logger) {
            try await $0.channelCircuitRecord(
                channelID: fixture.channelID,
                tally: CircuitBreaker.Tally(
                    answered: succeeded, trailingFailures: trailingFailures,
                    lastFailure: trailingFailures == 0 ? nil : "the webhook endpoint answered 500"),
                threshold: Self.threshold, cooldown: Self.cooldown)
        }
    }

    private func check(_ fixture: ChannelStateFixture, in database: Database) async throws -> CircuitBreaker.Permission {
        try await database.withTenant(fixture.tenantID, logger: TestDatabase.logger) {
            try await $0.channelCircuitCheck(channelID: fixture.channelID, threshold: Self.threshold, cooldown: Self.cooldown)
                .permission
        }
    }

    /// Whether `circuit` is open with a wait of at most the cool-down.
    private func isOpen(_ circuit: CircuitBreaker.Permission) -> Bool {
        if case .wait(let wait) = circuit { wait > .zero && wait <= Self.cooldown } else { false }
    }

    /// Makes the open circuit's probe due now, as if the cool-down had passed.
    private func passCooldown(_ fixture: ChannelStateFixture, in database: Database) async throws {
        try #require(
            try await fixture.circuitRow(in: database)?.probeDue == false, "the probe was due before the cool-down passed")
        try await fixture.makeProbeDue(in: database)
    }

    /// Checks from several workers at once; returns what each was told.
    private func concurrentChecks(_ fixture: ChannelStateFixture, _ count: Int, in database: Database) async throws
        -> [CircuitBreaker.Permission]
    {
        try await withThrowingTaskGroup(of: CircuitBreaker.Permission.self) { group in
            for _ in 0..<count { group.addTask { try await check(fixture, in: database) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    /// The first checks of a channel make its state row; workers that make it at the same
    /// moment wait for each other and must not fail on the row they did not see.
    @Test func workersCheckingANewChannelAtOnceAreAllToldToSend() async throws {
        try await withTestDatabase { database in
            for round in 0..<5 {
                let fixture = try await ChannelStateFixture.make("Circuit first use \(round)", in: database)
                let answers = try await concurrentChecks(fixture, 8, in: database)
                #expect(answers.count == 8 && answers.allSatisfy { $0 == .send }, "\(answers)")
            }
        }
    }

    @Test func opensAtTheThresholdProbesOnceAfterTheCooldownAndClosesWhenTheProbeSucceeds() async throws {
        try await withTestDatabase { database in
            let fixture = try await ChannelStateFixture.make("Circuit", in: database)
            #expect(try await check(fixture, in: database) == .send)
            for _ in 1..<Self.threshold { try await record(fixture, succeeded: false, trailingFailures: 1, in: database) }
            #expect(try await check(fixture, in: database) == .send, "one failure short of the threshold")

            try await record(fixture, succeeded: false, trailingFailures: 1, in: database)
            let opened = try await check(fixture, in: database)
            #expect(isOpen(opened), "\(opened)")
            #expect(try await fixture.circuitRow(in: database)?.circuit == "open")

            try await passCooldown(fixture, in: database)
            let answers = try await concurrentChecks(fixture, 6, in: database)
            #expect(answers.filter { $0 == .probe }.count == 1, "exactly one worker probes: \(answers)")
            #expect(answers.filter { $0 != .probe }.allSatisfy(isOpen), "the others wait: \(answers)")

            try await record(fixture, succeeded: true, trailingFailures: 0, in: database)
            #expect(try await check(fixture, in: database) == .send)
            let row = try #require(try await fixture.circuitRow(in: database))
            #expect(row.circuit == "closed" && row.failures == 0)
            // The count starts again from zero.
            for _ in 1..<Self.threshold { try await record(fixture, succeeded: false, trailingFailures: 1, in: database) }
            #expect(try await check(fixture, in: database) == .send)
        }
    }

    @Test func aFailedProbeOpensTheCircuitForAnotherCooldown() async throws {
        try await withTestDatabase { database in
            let fixture = try await ChannelStateFixture.make("Circuit probe", in: database)
            _ = try await check(fixture, in: database)
            try await record(fixture, succeeded: false, trailingFailures: Self.threshold, in: database)
            try await passCooldown(fixture, in: database)
            #expect(try await check(fixture, in: database) == .probe)

            try await record(fixture, succeeded: false, trailingFailures: 1, in: database)
            let reopened = try await check(fixture, in: database)
            #expect(isOpen(reopened), "\(reopened)")
            #expect(try await fixture.circuitRow(in: database)?.circuit == "open")

            try await passCooldown(fixture, in: database)
            #expect(try await check(fixture, in: database) == .probe, "another probe after another cool-down")
        }
    }

    @Test func failuresAfterTheLastSuccessOfABatchAreWhatCounts() async throws {
        try await withTestDatabase { database in
            let fixture = try await ChannelStateFixture.make("Circuit tally", in: database)
            _ = try await check(fixture, in: database)
            try await record(fixture, succeeded: false, trailingFailures: 2, in: database)
            // A batch whose success was followed by two failures: two in a row, not four.
            try await record(fixture, succeeded: true, trailingFailures: 2, in: database)
            #expect(try await fixture.circuitRow(in: database)?.failures == 2)
            #expect(try await check(fixture, in: database) == .send)
            try await record(fixture, succeeded: false, trailingFailures: 1, in: database)
            #expect(isOpen(try await check(fixture, in: database)))
        }
    }
}
