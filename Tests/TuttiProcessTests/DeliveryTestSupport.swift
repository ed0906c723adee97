import Foundation
import GatewayStandIns
import PostgresNIO
import TuttiDomain
import TuttiRuntime
import TuttiStore
import TuttiTestSupport

/// A tenant with one customer and one webhook channel pointing at a stand-in.
struct DeliveryFixture {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    var tenantID: UUID
    var customerID: UUID
    var channelID: UUID

    static func make(in database: Database, url: String, rateLimit: Int? = nil, timeoutMilliseconds: Int = 2_000) async throws
        -> DeliveryFixture
    {
        let tenant = try await TestTenant.make("Delivery", in: database)
        return try await database.withTenant(tenant.tenant.id, logger: TestDatabase.logger) { session in
            let customer = UUID.v7()
            try await session.connection.query(
                "INSERT INTO customers (tenant_id, id) VALUES (\(session.tenantID), \(customer))", logger: TestDatabase.logger)
            let channel = try await session.channelInsert(
                name: "hook",
                configuration: .webhook(
                    WebhookChannelConfiguration(url: url, secret: secret, timeoutMilliseconds: timeoutMilliseconds)),
                rateLimitPerSecond: rateLimit, secondaryChannelID: nil, keyring: .development)
            return DeliveryFixture(tenantID: session.tenantID, customerID: customer, channelID: channel.id)
        }
    }

    /// Creates `count` messages in batches of 500, each numbered in `content.data.n`.
    func enqueue(_ count: Int, in database: Database) async throws -> [UUID] {
        var ids: [UUID] = []
        for start in stride(from: 0, to: count, by: 500) {
            ids += try await database.withTenant(tenantID, logger: TestDatabase.logger) { session in
                var batch: [UUID] = []
                for n in start..<min(count, start + 500) {
                    let message = try await session.messageCreate(
                        customerID: customerID, channelID: channelID,
                        content: MessageContent(
                            subject: "Hello \(n)", text: "Body \(n)", data: .object(["n": .number(Double(n))])))
                    batch.append(message.id)
                }
                return batch
            }
        }
        return ids
    }

    /// The states of all the tenant's messages, counted.
    func states(in database: Database) async throws -> [String: Int] {
        try await database.withTenant(tenantID, logger: TestDatabase.logger) { session in
            let rows = try await session.connection.query(
                "SELECT state, count(*)::int8 FROM messages WHERE tenant_id = \(session.tenantID) GROUP BY state",
                logger: TestDatabase.logger)
            var counts: [String: Int] = [:]
            for try await (state, count) in rows.decode((String, Int64).self) { counts[state] = Int(count) }
            return counts
        }
    }

    /// Waits until every message is sent or dead, or `timeout` passes; returns the final counts.
    func waitUntilSettled(_ total: Int, in database: Database, timeout: Duration) async throws -> [String: Int] {
        let deadline = ContinuousClock.now + timeout
        var counts: [String: Int] = [:]
        while ContinuousClock.now < deadline {
            counts = try await states(in: database)
            if (counts["sent"] ?? 0) + (counts["dead"] ?? 0) == total { return counts }
            try await Task.sleep(for: .milliseconds(200))
        }
        return counts
    }
}

/// The environment for worker and scheduler processes on the test database.
func deliveryEnvironment(_ extra: [String: String] = [:]) async throws -> [String: String] {
    let configuration = try await TuttiConfiguration.forTesting()
    var environment = configuration.environmentVariables()
    environment["TUTTI_WORKER_PORT"] = "\(try freePorts(1)[0])"
    environment["TUTTI_SCHEDULER_PORT"] = "\(try freePorts(1)[0])"
    environment["TUTTI_WORKER_POLL_MS"] = "100"
    environment.merge(extra) { $1 }
    return environment
}
