import Foundation
import GatewayStandIns
import PostgresNIO
import Testing
import TuttiDomain
import TuttiRuntime
import TuttiStore
import TuttiTestSupport

// In the serialized delivery suite: every worker process claims from the one delivery queue
// of the test database, so tests that run workers take turns.
extension DeliveryProcessTests {
    /// A channel whose gateway answers 500 to everything opens its circuit after the
    /// threshold of failures, and its messages then go out through its secondary channel.
    @Test func aChannelWhoseGatewayAlwaysFailsOpensItsCircuitAndItsTrafficFailsOverToTheSecondary() async throws {
        let total = 8
        try await withTestDatabase { database in
            try await withRecordingServer(default: ScriptedResponse(status: 500, body: "down"), webhookSecret: DeliveryFixture.secret) { failing in
                try await withRecordingServer(default: ScriptedResponse(status: 202), webhookSecret: DeliveryFixture.secret) { healthy in
                    let secondary = try await DeliveryFixture.make(in: database, url: healthy.baseURL + "/hook")
                    var fixture = secondary
                    fixture.channelID = try await database.withTenant(secondary.tenantID, logger: TestDatabase.logger) { session in
                        try await session.channelInsert(
                            name: "primary",
                            configuration: .webhook(WebhookChannelConfiguration(url: failing.baseURL + "/hook", secret: DeliveryFixture.secret, timeoutMilliseconds: 2_000)),
                            rateLimitPerSecond: nil, secondaryChannelID: secondary.channelID, keyring: .development
                        ).id
                    }
                    let ids = try await fixture.enqueue(total, in: database)
                    let environment = try await deliveryEnvironment([
                        "TUTTI_WORKER_BATCH": "1", "TUTTI_WORKER_CIRCUIT_THRESHOLD": "3", "TUTTI_WORKER_CIRCUIT_COOLDOWN_SECONDS": "600",
                    ])
                    let scheduler = try SpawnedProcess("tutti-scheduler", environment: environment)
                    let worker = try SpawnedProcess("tutti-worker", environment: environment)
                    defer {
                        worker.terminate()
                        scheduler.terminate()
                    }
                    let counts = try await fixture.waitUntilSettled(total, in: database, timeout: .seconds(90))
                    #expect(counts == ["sent": total], "worker:\n\(worker.text)")

                    let delivered = try await healthy.requests(atLeast: total)
                    #expect(Set(delivered.compactMap { $0.header("webhook-id") }) == Set(ids.map { $0.uuidString.lowercased() }))
                    let refused = try await failing.requests(atLeast: 3)
                    #expect(refused.count >= 3, "the circuit opened after the threshold of failures")

                    let (messages, circuit) = try await database.withTenant(fixture.tenantID, logger: TestDatabase.logger) { session in
                        var messages: [Message] = []
                        for id in ids { if let message = try await session.messageGet(id: id) { messages.append(message) } }
                        let rows = try await session.connection.query(
                            "SELECT circuit FROM channel_states WHERE tenant_id = \(session.tenantID) AND channel_id = \(fixture.channelID)",
                            logger: TestDatabase.logger)
                        var circuit: String?
                        for try await state in rows.decode(String.self) { circuit = state }
                        return (messages, circuit)
                    }
                    #expect(circuit == "open")
                    let attempts = messages.flatMap(\.attempts)
                    let onPrimary = attempts.filter { $0.channelID == fixture.channelID }
                    #expect(onPrimary.count == refused.count, "every request to the failing gateway is an attempt on record")
                    #expect(onPrimary.allSatisfy { $0.outcome == .retry && $0.httpStatus == 500 }, "\(onPrimary)")
                    for message in messages {
                        let last = message.attempts.last
                        #expect(last?.channelID == secondary.channelID && last?.outcome == .accepted && last?.httpStatus == 202, "\(message.attempts)")
                    }
                }
            }
        }
    }
}
