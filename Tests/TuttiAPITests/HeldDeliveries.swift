import Foundation
import Testing
import TuttiDomain
import TuttiQueue
import TuttiStore
import TuttiTestSupport

/// A test playing the delivery worker for one tenant's messages, through the same store calls
/// the worker makes, so that message attempts are on record exactly as a test scripts them.
///
/// Worker processes of the delivery tests claim from the same queue of the test database, so
/// every job is claimed (with a long lease) in the transaction that makes it ready: no other
/// worker ever sees it free, sends it and adds attempts of its own.
struct HeldDeliveries {
    /// A message and the lease this test holds on its delivery job.
    struct Held {
        var id: UUID
        var lease: QueueLease
        var text: String { id.uuidString.lowercased() }
    }

    var tenantID: UUID
    var channelID: UUID
    private static let lease: Duration = .seconds(600)

    init(tenant: CreatedTenant, channel: String) throws {
        tenantID = try #require(UUID(uuidString: tenant.id))
        channelID = try #require(UUID(uuidString: channel))
    }

    /// Creates a message as `POST /v1/messages` does and claims its job in the same transaction.
    func create(customer: String) async throws -> Held {
        let customerID = try #require(UUID(uuidString: customer))
        return try await session { session in
            let message = try await session.messageCreate(
                customerID: customerID, channelID: channelID, content: MessageContent(subject: "Hi"))
            return Held(id: message.id, lease: try await claimOne(session))
        }
    }

    /// Records one attempt and reports it to the queue in one transaction, as the worker does:
    /// accepted completes the job, failed (or a retry on the last attempt) dead-letters it, and a
    /// retry fails it for an immediate retry, which this test claims again at once.
    func attempt(_ held: inout Held, _ outcome: MessageAttempt.Outcome, status: Int, last: Bool = false) async throws {
        let reason = outcome == .accepted ? nil : "the webhook endpoint answered \(status)"
        let record = MessageAttemptRecord(
            lease: held.lease, messageID: held.id, channelID: channelID, outcome: outcome, reason: reason, httpStatus: status,
            durationMilliseconds: 12, providerMessageID: nil, isFinal: last)
        let lease = held.lease
        held.lease = try await session { session in
            try await session.messageRecordAttempts([record], worker: "timeline-test")
            switch outcome {
            case .accepted:
                try await session.queueComplete([lease])
                return lease
            case .failed,
                .retry where last:
                try await session.queueFail([QueueFailure(lease: lease, message: reason ?? "", disposition: .permanent)])
                return lease
            case .retry:
                try await session.queueFail(
                    [QueueFailure(lease: lease, message: reason ?? "")], policy: QueueRetryPolicy(base: .zero, cap: .zero))
                return try await claimOne(session)
            }
        }
    }

    private func claimOne(_ session: TenantSession) async throws -> QueueLease {
        let claimed = try await session.queueClaim(
            queue: TenantSession.deliveryQueue, worker: "timeline-test", limit: 10, lease: Self.lease)
        try #require(claimed.count == 1, "claimed \(claimed.count) jobs")
        return claimed[0].lease
    }

    private func session<T: Sendable>(_ body: @Sendable @escaping (TenantSession) async throws -> T) async throws -> T {
        let tenantID = tenantID
        return try await withTestDatabase { database in
            try await database.withTenant(tenantID, logger: TestDatabase.logger) { try await body($0) }
        }
    }
}
