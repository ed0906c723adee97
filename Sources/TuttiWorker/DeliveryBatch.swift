import Foundation
import TuttiStore

/// Deliveries one claim leased from one tenant, each with its message.
struct DeliveryBatch: Sendable {
    var tenantID: UUID
    var deliveries: [ClaimedDelivery]
}
