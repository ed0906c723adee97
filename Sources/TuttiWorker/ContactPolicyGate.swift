import Foundation
import Logging
import TuttiDomain
import TuttiStore

/// The contact policy between a claim and the send (docs/contact-policy.md, "At send time"):
/// the messages of a claimed batch that the policy applies to are admitted, skipped or
/// deferred in one transaction (``TenantSession/contactAdmit(_:)``) before any is sent.
///
/// Out of the hot path: the claim itself says, per message, whether the tenant has a policy
/// and the message is not transactional (``MessageForDelivery/needsAdmission``), read in the
/// same statement, so a batch of a tenant without a policy costs no round trip here and no
/// cache can be stale: a policy set or removed applies from the next claim on.
struct ContactPolicyGate: Sendable {
    let database: Database
    let logger: Logger

    /// `batch` without the deliveries the policy kept from being sent now.
    func admit(_ batch: DeliveryBatch) async throws -> DeliveryBatch {
        guard batch.deliveries.contains(where: { $0.message?.needsAdmission == true }) else { return batch }
        let result = try await database.withTenant(batch.tenantID, logger: logger) { try await $0.contactAdmit(batch.deliveries) }
        ContactPolicyMetrics.record(result)
        return DeliveryBatch(tenantID: batch.tenantID, deliveries: result.admitted)
    }
}
