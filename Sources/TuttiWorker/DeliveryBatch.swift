import Foundation
import TuttiStore

/// Deliveries one claim leased from one tenant, each with its message.
struct DeliveryBatch: Sendable {
    var tenantID: UUID
    var deliveries: [ClaimedDelivery]
}

/// What a sent batch leaves to record: its accepted deliveries and their channels' circuit
/// tallies. A lane records them with its next claim from the same tenant, in the same round
/// trip (``DeliveryRunner/claimNext(_:finishing:)``), or on their own before it claims from
/// another tenant or waits. Failures are recorded at once, never carried.
struct FinishedBatch: Sendable {
    var tenantID: UUID
    var accepted: [AcceptedDelivery]
    var circuits: [UUID: CircuitTally]
}
