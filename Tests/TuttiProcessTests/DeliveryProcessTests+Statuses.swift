import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GatewayStandIns
import Testing
import TuttiDomain
import TuttiRuntime
import TuttiStore
import TuttiTestSupport

// In the serialized delivery suite: every worker process claims from the one delivery queue
// of the test database, so tests that run workers take turns.
extension DeliveryProcessTests {
    /// The gateway's HTTP status of every attempt reaches `GET /v1/messages/{id}`: one message
    /// answered 500 and then 202 on its retry, the other 202 at once.
    @Test func everyAttemptShowsTheGatewaysHTTPStatusThroughTheAPI() async throws {
        try await withTestDatabase { database in
            try await withRecordingServer(
                responses: [ScriptedResponse(status: 500, body: "boom")], default: ScriptedResponse(status: 202),
                webhookSecret: DeliveryFixture.secret
            ) { server in
                let fixture = try await DeliveryFixture.make(in: database, url: server.baseURL + "/hook")
                let reader = try await database.withTenant(fixture.tenantID, logger: TestDatabase.logger) {
                    try await $0.apiKeyIssue(name: "reader", role: .viewer)
                }
                let ids = try await fixture.enqueue(2, in: database)
                let apiPort = try freePorts(1)[0]
                let environment = try await deliveryEnvironment(["TUTTI_WORKER_BATCH": "1", "TUTTI_API_PORT": "\(apiPort)"])
                let api = try SpawnedProcess("tutti-api", environment: environment)
                let scheduler = try SpawnedProcess("tutti-scheduler", environment: environment)
                let worker = try SpawnedProcess("tutti-worker", environment: environment)
                defer {
                    worker.terminate()
                    scheduler.terminate()
                    api.terminate()
                }
                let counts = try await fixture.waitUntilSettled(ids.count, in: database, timeout: .seconds(60))
                #expect(counts == ["sent": 2], "worker:\n\(worker.text)")

                let base = "http://127.0.0.1:\(apiPort)"
                try #require(await waitUntilReady("\(base)/health/ready"), "tutti-api never became ready:\n\(api.text)")
                var attemptsByMessage: [[[String: Any]]] = []
                for id in ids {
                    let (status, message) = try await getJSON("\(base)/v1/messages/\(id.uuidString.lowercased())", authorization: "Bearer \(reader.token)")
                    #expect(status == 200, "\(message)")
                    attemptsByMessage.append(message["attempts"] as? [[String: Any]] ?? [])
                }
                let shown = attemptsByMessage.map { $0.map { "\($0["outcome"] ?? "-") \($0["http_status"] ?? "-")" } }.sorted { $0.count < $1.count }
                #expect(shown == [["accepted 202"], ["retry 500", "accepted 202"]], "\(attemptsByMessage)")

                // The worker counts what it did for Prometheus.
                let metrics = try await getText("http://127.0.0.1:\(environment["TUTTI_WORKER_PORT"]!)/metrics")
                #expect(metricValue(metrics, #"tutti_deliveries_total{outcome="accepted"}"#) ?? 0 >= 2, "\(metrics)")
                #expect(metricValue(metrics, #"tutti_deliveries_total{outcome="retry"}"#) ?? 0 >= 1, "\(metrics)")
                #expect(metricValue(metrics, #"tutti_queue_claimed_total{queue="delivery"}"#) ?? 0 >= 3, "\(metrics)")
                #expect(metricValue(metrics, #"tutti_queue_completed_total{queue="delivery"}"#) ?? 0 >= 2, "\(metrics)")
            }
        }
    }
}

/// GETs `url` and returns the body as text.
func getText(_ url: String) async throws -> String {
    var request = URLRequest(url: URL(string: url)!)
    request.timeoutInterval = 10
    let (data, _) = try await URLSession.shared.data(for: request)
    return String(decoding: data, as: UTF8.self)
}

/// The value of the sample named exactly `name` (labels included) in Prometheus text, or nil.
func metricValue(_ text: String, _ name: String) -> Double? {
    for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
        return Double(line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces))
    }
    return nil
}
