import Foundation
import Logging
import TuttiDomain
import TuttiStore

/// The delivery worker's way to the channels' circuit breakers (``CircuitBreaker``, persisted
/// per channel by the store): asked before a channel's deliveries are sent, told what they
/// came to when they are recorded.
struct CircuitGate: Sendable {
    let database: Database
    let threshold: Int
    let cooldown: Duration
    let logger: Logger

    /// May the worker send through `channelID` now, and the circuit as seen.
    func check(tenant: UUID, channelID: UUID) async throws -> (permission: CircuitBreaker.Permission, seen: CircuitBreaker.State)
    {
        try await database.withTenant(tenant, logger: logger) { session in
            try await session.channelCircuitCheck(channelID: channelID, threshold: threshold, cooldown: cooldown)
        }
    }

    /// Records batches' tallies in `session` (the transaction that records their deliveries).
    func record(_ tallies: [UUID: CircuitBreaker.Tally], session: TenantSession) async throws {
        for (channelID, tally) in tallies {
            try await session.channelCircuitRecord(channelID: channelID, tally: tally, threshold: threshold, cooldown: cooldown)
        }
    }
}
