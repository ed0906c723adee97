import Foundation
import GatewayStandIns
import PostgresNIO
import Testing
import TuttiDomain
import TuttiRuntime
import TuttiStore
import TuttiTestSupport

// In the serialized delivery suite: its worker claims from the one delivery queue of the test
// database, so it takes turns with the other tests that run workers.
extension DeliveryProcessTests {
    /// The abandoned-cart case through the real api, scheduler and worker processes to a webhook stand-in,
    /// as a tenant admin sets it up: a cart abandoned sends its message once its 2-second delay
    /// has passed; a cart whose order arrives within the delay sends nothing.
    @Test func anAbandonedCartSendsAfterItsDelayAndNotWhenTheOrderArrivesFirst() async throws {
        try await withTestDatabase { database in
            try await withRecordingServer(default: ScriptedResponse(status: 200)) { hook in
                let tenant = try await TestTenant.make("Triggers", in: database)
                let apiPort = try freePorts(1)[0]
                let environment = try await deliveryEnvironment(["TUTTI_API_PORT": "\(apiPort)"])
                let api = try SpawnedProcess("tutti-api", environment: environment)
                let worker = try SpawnedProcess("tutti-worker", environment: environment)
                // The scheduler makes the delayed delivery job ready when its delay has passed.
                let scheduler = try SpawnedProcess("tutti-scheduler", environment: environment)
                defer {
                    scheduler.terminate()
                    worker.terminate()
                    api.terminate()
                }
                let admin = AdminClient(base: "http://127.0.0.1:\(apiPort)", authorization: tenant.adminAuthorization)
                try #require(await waitUntilReady("\(admin.base)/health/ready"), "tutti-api never became ready:\n\(api.text)")

                let channel = try await admin.create(
                    "/v1/channels",
                    [
                        "type": "webhook", "name": "hook",
                        "config": ["url": hook.baseURL + "/cart", "secret": DeliveryFixture.secret],
                    ])
                let template = try await admin.create(
                    "/v1/templates",
                    ["name": "Cart", "parts": ["webhook": ["data": ["cart": "{{customer.id}}", "kind": "abandoned"]]]])
                let campaign = try await admin.create(
                    "/v1/campaigns",
                    [
                        "name": "Abandoned cart", "template_id": template, "channels": [channel],
                        "trigger": [
                            "event": "Cart Abandoned", "delay": "2 seconds", "reentry": "always",
                            "exit_events": ["Order Completed"],
                            "correlation": "properties.cart_id",
                        ],
                    ])
                _ = try await admin.send("POST", "/v1/campaigns/\(campaign)/launch", [:], expect: 200)

                let abandonedAt = Date()
                for (user, cart) in [("kept", "k1"), ("ordered", "o1")] {
                    _ = try await admin.send(
                        "POST", "/v1/track",
                        [
                            "userId": user, "event": "Cart Abandoned", "properties": ["cart_id": cart],
                            "messageId": "abandon-\(cart)",
                        ],
                        expect: 200)
                }
                _ = try await admin.send(
                    "POST", "/v1/track",
                    ["userId": "ordered", "event": "Order Completed", "properties": ["cart_id": "o1"], "messageId": "order-o1"],
                    expect: 200)

                // The kept cart's message is sent once its delay has passed.
                let messages = { () async throws -> [String] in
                    try await database.withTenant(tenant.tenant.id, logger: TestDatabase.logger) { session in
                        try await session.connection.query(
                            "SELECT state || ':' || coalesce(skip_reason, last_error, '') FROM messages WHERE tenant_id = \(session.tenantID)",
                            logger: TestDatabase.logger
                        ).collect().map { try $0.decode(String.self) }
                    }
                }
                let deadline = ContinuousClock.now + .seconds(20)
                while try await !messages().contains("sent:"), ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(100))
                }
                let ended = try await messages().sorted()
                #expect(ended == ["sent:", "skipped:exited"], "\(ended); worker:\n\(worker.text)")
                let received = try await hook.requests(atLeast: 1)
                #expect(Date().timeIntervalSince(abandonedAt) >= 2, "sent only after the trigger's delay")
                #expect(received.count == 1 && received[0].path == "/cart")
                // Whatever else might come has had its chance: the ordered cart's job is gone.
                let states = try await database.withTenant(tenant.tenant.id, logger: TestDatabase.logger) { session in
                    try await session.triggerFirings(campaignID: UUID(uuidString: campaign)!).map {
                        "\($0.correlation ?? ""):\($0.state):\($0.reason ?? "")"
                    }
                }
                #expect(Set(states) == ["k1:queued:", "o1:skipped:exited"])
            }
        }
    }
}
