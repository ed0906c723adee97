import Foundation
import PostgresNIO
import Testing
import TuttiDomain
import TuttiQueue
import TuttiStore
import TuttiTestSupport

/// The delivery worker's round trip: accepted deliveries recorded behind their lease, the next
/// batch claimed with its messages.
@Suite("Delivery cycle")
struct DeliveryCycleTests {
    let logger = TestDatabase.logger

    /// A tenant with a webhook channel, a customer and `count` messages (whose own delivery jobs
    /// go to the shared delivery queue, where this suite never looks).
    private func fixture(_ database: Database, messages count: Int) async throws -> (
        tenant: UUID, channel: UUID, messages: [Message]
    ) {
        let tenant = try await TestTenant.make("Delivery cycle", in: database).tenant.id
        let keyring = try ChannelKeyring(
            parsing: "k1:\(Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString())")
        let configuration = try ChannelConfiguration(
            type: .webhook,
            fields: ["url": .string("http://127.0.0.1:9/hook"), "secret": .string("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")])
        return try await database.withTenant(tenant, logger: logger) { session in
            let customer = UUID()
            try await session.connection.query(
                "INSERT INTO customers (tenant_id, id) VALUES (\(tenant), \(customer))", logger: logger)
            let channel = try await session.channelInsert(
                name: "Hook", configuration: configuration, rateLimitPerSecond: nil, secondaryChannelID: nil, keyring: keyring)
            var messages: [Message] = []
            for index in 0..<count {
                messages.append(
                    try await session.messageCreate(
                        customerID: customer, channelID: channel.id, content: MessageContent(text: "Message \(index)")))
            }
            return (tenant, channel.id, messages)
        }
    }

    /// Enqueues one job per message on `queue` and makes it the message's delivery job, as
    /// `messageCreate` does for the shared delivery queue: a claimed job finds its message by
    /// `messages.job_id`.
    @discardableResult
    private func enqueueJobs(for messages: [Message], on queue: QueueName, tenant: UUID, _ database: Database) async throws
        -> [Int64]
    {
        let ids = try await database.enqueue(
            messages.map { NewQueueJob(queue: queue, payload: #"{"message_id": "\#($0.id.uuidString.lowercased())"}"#) },
            tenant: tenant
        ).map { $0! }
        try await database.withTenant(tenant, logger: logger) { session in
            for (message, job) in zip(messages, ids) {
                try await session.connection.query("UPDATE messages SET job_id = \(job) WHERE id = \(message.id)", logger: logger)
            }
        }
        return ids
    }

    /// ``fixture(_:messages:)`` with each message's job on a queue of its own, claimed in one cycle.
    private func claimedFixture(
        _ database: Database, messages count: Int
    ) async throws -> (tenant: UUID, channel: UUID, queue: QueueName, messages: [Message], claimed: [ClaimedDelivery]) {
        let (tenant, channel, messages) = try await fixture(database, messages: count)
        let queue = uniqueQueueName("delivery-cycle")
        try await enqueueJobs(for: messages, on: queue, tenant: tenant, database)
        let claimed = try await cycle(database, tenant: tenant, queue: queue, limit: 10).claimed
        return (tenant, channel, queue, messages, claimed)
    }

    private func cycle(
        _ database: Database, tenant: UUID, queue: QueueName, recording accepted: [AcceptedDelivery] = [], limit: Int
    ) async throws -> DeliveryCycleResult {
        try await database.withTenant(tenant, logger: logger) {
            try await $0.deliveryCycle(
                recording: accepted, queue: queue, worker: "test-worker", limit: limit, lease: .seconds(30))
        }
    }

    private func accepted(_ delivery: ClaimedDelivery, channel: UUID) -> AcceptedDelivery {
        AcceptedDelivery(
            lease: delivery.job.lease, messageID: delivery.message!.id, channelID: channel, httpStatus: 202,
            durationMilliseconds: 7,
            providerMessageID: "provider-\(delivery.job.id)", messageRowVersion: delivery.message!.rowVersion)
    }

    @Test func claimedJobsComeWithTheirMessagesAndAJobNoMessageNamesComesWithout() async throws {
        try await withTestDatabase { database in
            let (tenant, channel, messages) = try await fixture(database, messages: 2)
            let queue = uniqueQueueName("delivery-cycle")
            try await enqueueJobs(for: messages, on: queue, tenant: tenant, database)
            // Jobs that no message names: a payload naming no message, one naming a message that
            // does not exist, and one naming a message whose delivery job is another job.
            let strays = [
                #"{"message_id": "not-a-uuid"}"#, #"{"message_id": "\#(UUID().uuidString.lowercased())"}"#,
                #"{"message_id": "\#(messages[0].id.uuidString.lowercased())"}"#,
            ]
            try await database.enqueue(strays.map { NewQueueJob(queue: queue, payload: $0) }, tenant: tenant)

            let result = try await cycle(database, tenant: tenant, queue: queue, limit: 10)
            #expect(result.claimed.count == 5, "a bad payload is claimed like any job, so the worker can fail it")
            #expect(result.claimed.map { $0.message?.id } == messages.map(\.id) + [nil, nil, nil])
            #expect(result.claimed[0].message?.channelID == channel)
            #expect(result.claimed[1].message?.content.text == "Message 1")
            #expect(result.claimed.allSatisfy { $0.job.attempt == 1 })
            #expect(
                try await cycle(database, tenant: tenant, queue: queue, limit: 10).claimed.isEmpty,
                "leased jobs are not claimed again")
        }
    }

    @Test func acceptedDeliveriesAreRecordedOnlyWhileTheirLeaseIsCurrent() async throws {
        try await withTestDatabase { database in
            let (tenant, channel, queue, messages, claimed) = try await claimedFixture(database, messages: 2)
            #expect(claimed.count == 2)
            // The second lease lapses and another worker takes the job: its attempt moves on.
            try await database.withTenant(tenant, logger: logger) { session in
                try await session.connection.query(
                    "UPDATE queue_jobs SET attempts = attempts + 1 WHERE id = \(claimed[1].job.id)", logger: logger)
            }

            let result = try await cycle(
                database, tenant: tenant, queue: queue, recording: claimed.map { accepted($0, channel: channel) }, limit: 10)
            #expect(result.recorded == 1)
            #expect(result.claimed.isEmpty)
            let (first, second) = try await database.withTenant(tenant, logger: logger) { session in
                (try await session.messageGet(id: messages[0].id)!, try await session.messageGet(id: messages[1].id)!)
            }
            #expect(first.state == .sent)
            #expect(first.providerMessageID == "provider-\(claimed[0].job.id)")
            #expect(first.attempts.map(\.outcome) == [.accepted])
            #expect(first.attempts.first?.httpStatus == 202)
            #expect(first.attempts.first?.worker == "test-worker")
            #expect(first.attempts.first?.channelID == channel)
            #expect(first.attempts.first?.durationMilliseconds == 7)
            #expect(
                second.state == .sending, "the worker that lost the lease records nothing; the job's new holder is sending it")
            #expect(second.attempts.isEmpty)
            #expect(try await database.job(claimed[0].job.id, tenant: tenant) == nil, "the recorded job is completed")
            #expect(
                try await database.job(claimed[1].job.id, tenant: tenant) != nil,
                "the job of the lapsed lease stays for its new holder")
        }
    }

    @Test func acceptedMessagesAreRecordedSentWhetherTheirRowStayedMovedOrCameWithoutItsVersion() async throws {
        try await withTestDatabase { database in
            let (tenant, channel, queue, messages, claimed) = try await claimedFixture(database, messages: 3)
            #expect(claimed.count == 3)
            #expect(claimed.allSatisfy { $0.message?.rowVersion != nil })
            // The second message's row moves (any update writes a new version); the third is
            // handed back without its version.
            try await database.withTenant(tenant, logger: logger) { session in
                try await session.connection.query(
                    "UPDATE messages SET updated_at = now() WHERE id = \(messages[1].id)", logger: logger)
            }
            var deliveries = claimed.map { accepted($0, channel: channel) }
            deliveries[2].messageRowVersion = nil

            let result = try await cycle(database, tenant: tenant, queue: queue, recording: deliveries, limit: 10)
            #expect(result.recorded == 3)
            for (message, delivery) in zip(messages, claimed) {
                let recorded = try await database.withTenant(tenant, logger: logger) { try await $0.messageGet(id: message.id)! }
                #expect(recorded.state == .sent)
                #expect(recorded.providerMessageID == "provider-\(delivery.job.id)")
                #expect(recorded.attempts.map(\.outcome) == [.accepted])
            }
        }
    }

    @Test func aRowVersionThatNowHoldsAnotherMessageDoesNotRecordIt() async throws {
        try await withTestDatabase { database in
            let (tenant, channel, queue, messages, claimed) = try await claimedFixture(database, messages: 2)
            // The first delivery comes back with the second message's row version: only its
            // own message (found by key) may be recorded, never the one at that version.
            var deliveries = [accepted(claimed[0], channel: channel)]
            deliveries[0].messageRowVersion = claimed[1].message!.rowVersion

            let result = try await cycle(database, tenant: tenant, queue: queue, recording: deliveries, limit: 0)
            #expect(result.recorded == 1)
            let (first, second) = try await database.withTenant(tenant, logger: logger) { session in
                (try await session.messageGet(id: messages[0].id)!, try await session.messageGet(id: messages[1].id)!)
            }
            #expect(first.state == .sent)
            #expect(second.state == .sending)
            #expect(second.attempts.isEmpty)
        }
    }

    @Test func failedAttemptsAreRecordedOnlyWhileTheirLeaseIsCurrent() async throws {
        try await withTestDatabase { database in
            let (tenant, channel, _, messages, claimed) = try await claimedFixture(database, messages: 2)
            try await database.withTenant(tenant, logger: logger) { session in
                try await session.connection.query(
                    "UPDATE queue_jobs SET attempts = attempts + 1 WHERE id = \(claimed[1].job.id)", logger: logger)
            }
            let records = claimed.map {
                MessageAttemptRecord(
                    lease: $0.job.lease, messageID: $0.message!.id, channelID: channel, outcome: .retry,
                    reason: "gateway answered 503",
                    httpStatus: 503, durationMilliseconds: 3, providerMessageID: nil, isFinal: false)
            }
            // As the worker does: attempts and the queue's retries in one transaction.
            let written = try await database.withTenant(tenant, logger: logger) { session in
                let written = try await session.messageRecordAttempts(records, worker: "test-worker")
                _ = try await session.queueFail(records.map { QueueFailure(lease: $0.lease, message: "gateway answered 503") })
                return written
            }
            #expect(written == 1)
            let states = try await database.withTenant(tenant, logger: logger) { session in
                [try await session.messageGet(id: messages[0].id)!, try await session.messageGet(id: messages[1].id)!]
            }
            #expect(states[0].state == .failed)
            #expect(states[0].attempts.map(\.httpStatus) == [503])
            #expect(states[1].state == .sending, "the job stays with the holder of its current lease")
            #expect(states[1].attempts.isEmpty)
        }
    }

    @Test func deletingAMessageDeletesItsAttempts() async throws {
        try await withTestDatabase { database in
            let (tenant, channel, messages) = try await fixture(database, messages: 1)
            let queue = uniqueQueueName("delivery-cycle")
            try await enqueueJobs(for: [messages[0]], on: queue, tenant: tenant, database)
            let claimed = try await cycle(database, tenant: tenant, queue: queue, limit: 1).claimed
            let record = MessageAttemptRecord(
                lease: claimed[0].job.lease, messageID: messages[0].id, channelID: channel, outcome: .retry,
                reason: "gateway answered 500",
                httpStatus: 500, durationMilliseconds: 2, providerMessageID: nil, isFinal: false)
            let (before, after) = try await database.withTenant(tenant, logger: logger) { session in
                try await session.messageRecordAttempts([record], worker: "test-worker")
                let before = try await attemptRows(messages[0].id, session: session)
                try await session.connection.query("DELETE FROM messages WHERE id = \(messages[0].id)", logger: logger)
                return (before, try await attemptRows(messages[0].id, session: session))
            }
            #expect(before == 1)
            #expect(after == 0)
        }
    }

    private func attemptRows(_ message: UUID, session: TenantSession) async throws -> Int {
        let rows = try await session.connection.query(
            "SELECT count(*)::int8 FROM message_attempts WHERE message_id = \(message)", logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return -1
    }
}
