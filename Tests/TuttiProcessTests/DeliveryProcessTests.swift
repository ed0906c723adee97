import Foundation
import GatewayStandIns
import Testing
import TuttiDomain
import TuttiRuntime
import TuttiStore
import TuttiTestSupport

/// The real worker and scheduler processes against a recording webhook stand-in that
/// verifies signatures with the `standardwebhooks` library and injects faults.
@Suite("Delivery processes", .serialized)
struct DeliveryProcessTests {
    @Test func everyMessageEndsSentOrDeadWithItsReasonThroughFaultsAndEachSentOneArrivedSigned() async throws {
        let faults: [ScriptedResponse] = [
            ScriptedResponse(status: 500, body: "boom"),
            ScriptedResponse(status: 429, headers: ["Retry-After": "1"]),
            ScriptedResponse(status: 200, delayMilliseconds: 2_500),
            ScriptedResponse(reset: true),
            ScriptedResponse(status: 503),
            ScriptedResponse(status: 410, body: "gone"),
        ]
        try await withTestDatabase { database in
            try await withRecordingServer(responses: faults, webhookSecret: DeliveryFixture.secret) { server in
                let fixture = try await DeliveryFixture.make(in: database, url: server.baseURL + "/hook", timeoutMilliseconds: 1_000)
                let ids = try await fixture.enqueue(20, in: database)
                let environment = try await deliveryEnvironment(["TUTTI_WORKER_BATCH": "4", "TUTTI_WORKER_IN_FLIGHT": "1"])
                let scheduler = try SpawnedProcess("tutti-scheduler", environment: environment)
                let worker = try SpawnedProcess("tutti-worker", environment: environment)
                defer {
                    worker.terminate()
                    scheduler.terminate()
                }
                let counts = try await fixture.waitUntilSettled(ids.count, in: database, timeout: .seconds(90))
                #expect(counts == ["sent": 19, "dead": 1], "worker:\n\(worker.text)")

                // 20 first attempts and one retry after each of the five retryable faults (the 410 is final).
                let requests = try await server.requests(atLeast: 25)
                #expect(requests.allSatisfy { $0.verified == true }, "\(requests.compactMap(\.verifyError))")
                let received = Set(requests.compactMap { $0.header("webhook-id") })
                for id in ids { #expect(received.contains(id.uuidString.lowercased())) }

                let messages = try await database.withTenant(fixture.tenantID, logger: TestDatabase.logger) { session in
                    var all: [Message] = []
                    for id in ids { if let message = try await session.messageGet(id: id) { all.append(message) } }
                    return all
                }
                let dead = messages.filter { $0.state == .dead }
                #expect(dead.count == 1 && dead[0].lastError?.isEmpty == false)
                #expect(messages.filter { $0.state == .sent }.allSatisfy { $0.attempts.last?.outcome == .accepted && $0.sentAt != nil })
                // Every attempt the stand-in saw is an attempt on record, and nothing else is. An
                // attempt is a delivery id with its timestamp (retries wait at least a second);
                // libcurl resends the same bytes once by itself when a reused connection dies
                // before any answer, which is one attempt seen twice, identically signed.
                var attemptsSeen: [String: Set<String>] = [:]
                for request in requests {
                    let attempt = "\(request.header("webhook-id") ?? "-") \(request.header("webhook-timestamp") ?? "-")"
                    attemptsSeen[attempt, default: []].insert(request.header("webhook-signature") ?? "-")
                }
                #expect(attemptsSeen.values.allSatisfy { $0.count == 1 }, "a resent attempt carries the same signature")
                #expect(messages.map(\.attempts.count).reduce(0, +) == attemptsSeen.count)

                let body = requests.first { ($0.jsonObject["data"] as? [String: Any])?["message_id"] as? String == ids[19].uuidString.lowercased() }
                let data = body?.jsonObject["data"] as? [String: Any]
                #expect(data?["customer_id"] as? String == fixture.customerID.uuidString.lowercased())
                #expect((data?["content"] as? [String: Any])?["subject"] as? String == "Hello 19")
            }
        }
    }

    @Test func killingTheWorkerRepeatedlyLosesNoDeliveryAndDuplicatesCarryTheSameIdempotencyKey() async throws {
        let total = Int(ProcessInfo.processInfo.environment["TUTTI_CRASH_DELIVERIES"] ?? "") ?? 2_000
        try await withTestDatabase { database in
            try await withRecordingServer(webhookSecret: DeliveryFixture.secret) { server in
                let fixture = try await DeliveryFixture.make(in: database, url: server.baseURL + "/hook")
                let ids = try await fixture.enqueue(total, in: database)
                let environment = try await deliveryEnvironment(["TUTTI_WORKER_BATCH": "100", "TUTTI_WORKER_LEASE_SECONDS": "3"])
                let scheduler = try SpawnedProcess("tutti-scheduler", environment: environment)
                defer { scheduler.terminate() }
                var received = 0
                for _ in 0..<5 {
                    let worker = try SpawnedProcess("tutti-worker", environment: environment)
                    // Let it get going, then kill it while it holds a batch.
                    let target = min(total, received + max(1, total / 10))
                    received = try await server.requests(atLeast: target).count
                    worker.kill9()
                    _ = await worker.waitForExit(timeout: .seconds(5))
                }
                let worker = try SpawnedProcess("tutti-worker", environment: environment)
                defer { worker.terminate() }
                let counts = try await fixture.waitUntilSettled(total, in: database, timeout: .seconds(180))
                #expect(counts == ["sent": total], "worker:\n\(worker.text)")

                let requests = try await server.requests(atLeast: total)
                var keys: [String: Set<String>] = [:]
                for request in requests {
                    guard let data = request.jsonObject["data"] as? [String: Any], let message = data["message_id"] as? String else { continue }
                    keys[message, default: []].insert(request.header("webhook-id") ?? "")
                }
                #expect(Set(keys.keys) == Set(ids.map { $0.uuidString.lowercased() }), "every delivery was received")
                #expect(keys.values.allSatisfy { $0.count == 1 }, "a message received twice carried one idempotency key")
                #expect(requests.allSatisfy { $0.verified == true })
            }
        }
    }
}
