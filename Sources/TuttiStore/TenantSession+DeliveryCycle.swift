import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

/// A delivery the gateway accepted, as the worker records it with
/// ``TenantSession/deliveryCycle(recording:queue:worker:limit:lease:)``.
public struct AcceptedDelivery: Sendable, Hashable {
    /// The lease the delivery was sent under; recorded only while it is current.
    public var lease: QueueLease
    public var messageID: UUID
    /// The channel the attempt went through (the secondary after a fail-over).
    public var channelID: UUID
    public var httpStatus: Int?
    public var durationMilliseconds: Int
    public var providerMessageID: String?
    /// The message's ``MessageForDelivery/rowVersion`` from the claim; nil looks it up by key.
    public var messageRowVersion: String?

    public init(
        lease: QueueLease, messageID: UUID, channelID: UUID, httpStatus: Int?, durationMilliseconds: Int,
        providerMessageID: String?,
        messageRowVersion: String? = nil
    ) {
        self.lease = lease
        self.messageID = messageID
        self.channelID = channelID
        self.httpStatus = httpStatus
        self.durationMilliseconds = durationMilliseconds
        self.providerMessageID = providerMessageID
        self.messageRowVersion = messageRowVersion
    }
}

/// A delivery job leased by ``TenantSession/deliveryCycle(recording:queue:worker:limit:lease:)``
/// with the message it names: nil when the payload names no message or the message is gone.
public struct ClaimedDelivery: Sendable {
    public var job: ClaimedQueueJob
    public var message: MessageForDelivery?
}

/// What one delivery cycle did.
public struct DeliveryCycleResult: Sendable {
    /// How many of the accepted deliveries were recorded (their leases were current).
    public var recorded: Int
    /// The deliveries now leased, in claim order.
    public var claimed: [ClaimedDelivery]
}

extension TenantSession {
    /// Records `accepted` (attempt rows, messages `sent`, jobs completed) and leases up to
    /// `limit` ready jobs of `queue` with their messages, in one statement
    /// (``DeliveryCycleStatement``). A `limit` of 0 only records.
    public func deliveryCycle(
        recording accepted: [AcceptedDelivery], queue: QueueName, worker: QueueWorkerName, limit: Int, lease: Duration
    ) async throws -> DeliveryCycleResult {
        let statement = DeliveryCycleStatement(
            claim: QueueClaimArguments(tenantID: tenantID, queue: queue, worker: worker, limit: limit, lease: lease),
            accepted: accepted)
        var result = DeliveryCycleResult(recorded: 0, claimed: [])
        result.claimed.reserveCapacity(limit)
        for try await row in try await connection.execute(statement, logger: logger) {
            result.recorded = row.recorded
            guard
                let job = ClaimedQueueJob(
                    tenantID: tenantID, queue: queue, id: row.jobID, attempt: row.attempt, priority: row.priority,
                    payload: row.payload,
                    uniqueKey: row.uniqueKey, maxAttempts: row.maxAttempts, runAt: row.runAt)
            else { continue }
            var message: MessageForDelivery?
            if let messageID = row.messageID, let customerID = row.customerID, let channelID = row.channelID {
                message = MessageForDelivery(
                    id: messageID, customerID: customerID, channelID: channelID, recipient: row.recipient,
                    content: MessageContent(jsonObject: JSONColumns.object(row.content)), rowVersion: row.messageRow,
                    campaignID: row.campaignID, needsAdmission: row.needsAdmission ?? false)
            }
            result.claimed.append(ClaimedDelivery(job: job, message: message))
        }
        return result
    }
}
