import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue
import TuttiStore
import TuttiTestSupport

/// A tenant with a webhook channel and customers, whose messages' delivery jobs are moved to
/// queues of the test's own (a claimed job finds its message by `messages.job_id`), so no
/// other suite's worker or claim sees them.
struct ContactPolicyFixture {
    let database: Database
    let tenant: UUID
    let channel: UUID
    let customers: [UUID]
    let logger = TestDatabase.logger

    static func make(_ database: Database, customers count: Int, policy: ContactPolicy?) async throws -> ContactPolicyFixture {
        let tenant = try await TestTenant.make("Contact policy", in: database).tenant.id
        let keyring = try ChannelKeyring(
            parsing: "k1:\(Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString())")
        let configuration = try ChannelConfiguration(
            type: .webhook,
            fields: ["url": .string("http://127.0.0.1:9/hook"), "secret": .string("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")])
        let customers = (0..<count).map { _ in UUID() }
        let channel = try await database.withTenant(tenant, logger: TestDatabase.logger) { session in
            // RETURNING: Citus would run a bare INSERT … SELECT as a COPY, which row-level
            // security refuses.
            try await session.connection.query(
                "INSERT INTO customers (tenant_id, id) SELECT \(tenant), c FROM unnest(\(customers)::uuid[]) AS c RETURNING id",
                logger: TestDatabase.logger)
            if let policy { try await session.contactPolicyPut(policy) }
            return try await session.channelInsert(
                name: "Hook", configuration: configuration, rateLimitPerSecond: nil, secondaryChannelID: nil, keyring: keyring
            ).id
        }
        return ContactPolicyFixture(database: database, tenant: tenant, channel: channel, customers: customers)
    }

    /// One message to each of `customers`, their jobs on `queue`.
    @discardableResult
    func messages(to customers: [UUID], on queue: QueueName, transactional: Bool = false) async throws -> [UUID] {
        try await database.withTenant(tenant, logger: logger) { session in
            var ids: [UUID] = []
            for customer in customers {
                let message = try await session.messageCreate(
                    customerID: customer, channelID: channel, content: MessageContent(text: "Hello"), transactional: transactional
                )
                let job = try await session.queueEnqueue(
                    NewQueueJob(queue: queue, payload: #"{"message_id": "\#(message.id.uuidString.lowercased())"}"#))
                try await session.connection.query(
                    "UPDATE messages SET job_id = \(job) WHERE tenant_id = \(tenant) AND id = \(message.id)", logger: logger)
                ids.append(message.id)
            }
            return ids
        }
    }

    func claim(_ queue: QueueName, limit: Int = 500) async throws -> [ClaimedDelivery] {
        try await database.withTenant(tenant, logger: logger) {
            try await $0.deliveryCycle(recording: [], queue: queue, worker: "test-worker", limit: limit, lease: .seconds(30))
                .claimed
        }
    }

    func admit(_ claimed: [ClaimedDelivery]) async throws -> ContactAdmissionResult {
        try await database.withTenant(tenant, logger: logger) { try await $0.contactAdmit(claimed) }
    }

    func message(_ id: UUID) async throws -> Message {
        try await database.withTenant(tenant, logger: logger) { try await $0.messageGet(id: id)! }
    }

    /// Each customer's ledger rows.
    func ledger() async throws -> [UUID: Int] {
        try await database.withTenant(tenant, logger: logger) { session in
            var counts: [UUID: Int] = [:]
            let rows = try await session.connection.query(
                "SELECT customer_id, count(*)::int8 FROM contact_ledger WHERE tenant_id = \(tenant) GROUP BY customer_id",
                logger: logger)
            for try await (customer, count) in rows.decode((UUID, Int).self) { counts[customer] = count }
            return counts
        }
    }

    static func cap(_ max: Int, per: String, channels: ChannelSelection = .all) -> ContactPolicy {
        ContactPolicy(caps: [ContactPolicy.Cap(channels: channels, max: max, per: PolicyWindow(per)!)])
    }
}
