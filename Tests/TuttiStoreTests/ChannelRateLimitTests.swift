import Foundation
import Testing
import TuttiDomain
import TuttiStore
import TuttiTestSupport

/// The per-channel token bucket in `channel_states` that every worker takes from
/// (`TenantSession.channelTakeTokens`): the limit holds for all takers together.
@Suite("Channel rate limit: the shared token bucket")
struct ChannelRateLimitTests {
    @Test func concurrentTakersTogetherGetNoMoreThanTheRateOverTheElapsedTimePlusTheBurst() async throws {
        try await withTestDatabase { database in
            let fixture = try await ChannelStateFixture.make("Rate limit", in: database)
            let (rate, burst, takers) = (200, 4.0, 6)
            let (tenant, channel) = (fixture.tenantID, fixture.channelID)
            @Sendable func take(_ count: Int) async throws -> Int {
                try await database.withTenant(tenant, logger: TestDatabase.logger) {
                    try await $0.channelTakeTokens(channelID: channel, count: count, perSecond: rate, burst: burst)
                }
            }
            // The first take makes the bucket (empty); tokens accrue from its refill time on.
            let first = try await take(1)
            let origin = try #require(try await fixture.bucketClock(in: database)).refilledAt

            // Several workers' worth of takers, each on its own connection, asking as fast as
            // they can (a short pause when refused, as the worker does). A fixed number of asks
            // rather than a fixed time: on a busy machine it takes longer, and the bound is
            // measured on the database clock anyway.
            let granted = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<takers {
                    group.addTask {
                        var got = 0
                        for _ in 0..<40 {
                            let taken = try await take(5)
                            got += taken
                            if taken == 0 { try await Task.sleep(for: .milliseconds(5)) }
                        }
                        return got
                    }
                }
                return try await group.reduce(0, +)
            }
            let end = try #require(try await fixture.bucketClock(in: database)).now
            let elapsed = end.timeIntervalSince(origin)
            let total = first + granted
            let allowed = Double(rate) * elapsed + burst
            #expect(Double(total) <= allowed, "\(takers) takers got \(total) tokens in \(elapsed) s; at most \(allowed) allowed")
            // Not vacuous: the bucket did hand tokens out (how many depends on how busy the machine is).
            #expect(total > 0)
        }
    }

    @Test func anIdleBucketHoldsNoMoreThanItsBurst() async throws {
        try await withTestDatabase { database in
            let fixture = try await ChannelStateFixture.make("Burst", in: database)
            let (tenant, channel) = (fixture.tenantID, fixture.channelID)
            @Sendable func take(_ count: Int) async throws -> Int {
                try await database.withTenant(tenant, logger: TestDatabase.logger) {
                    try await $0.channelTakeTokens(channelID: channel, count: count, perSecond: 200, burst: 4)
                }
            }
            _ = try await take(1)
            // A quarter of a second at 200/s is 50 tokens' worth; the bucket keeps 4 of them.
            #expect(try await eventually {
                guard let clock = try await fixture.bucketClock(in: database) else { return false }
                return clock.now.timeIntervalSince(clock.refilledAt) >= 0.25
            })
            #expect(try await take(100) == 4)
        }
    }
}
