import Curl
import Foundation
import GatewayStandIns
import Testing
import TuttiConnectors
import TuttiDomain

/// How every HTTP connector reads a gateway in trouble: the stand-in answers as scripted and
/// the outcome must say whether, and when, to try again.
@Suite("Gateway faults become outcomes", .timeLimit(.minutes(1)))
struct GatewayFaultTests {
    /// One webhook send against a server that answers `response`.
    private func outcome(for response: ScriptedResponse, timeoutMilliseconds: Int = 10_000) async throws -> SentDelivery {
        let secret = makeWebhookSecret()
        return try await withRecordingServer(responses: [response]) { server in
            let connector = Connectors.connector(
                for: try configuration(
                    .webhook, ["url": .string(server.baseURL), "secret": .string(secret), "timeout_ms": .number(Double(timeoutMilliseconds))]))
            return try await withTransport { await connector.send(.sample(), through: $0) }
        }
    }

    @Test func a429WithRetryAfterIsRetriedAfterThatDelay() async throws {
        let outcome = try await outcome(for: ScriptedResponse(status: 429, headers: ["Retry-After": "7"]))
        #expect(outcome.retryDelay == .some(.seconds(7)), "\(outcome)")
        #expect(outcome.httpStatus == 429)
    }

    @Test(arguments: [500, 502, 503, 408])
    func serverErrorsAndRequestTimeoutsAreRetried(status: Int) async throws {
        let outcome = try await outcome(for: ScriptedResponse(status: status, body: "busy"))
        #expect(outcome.retryDelay == .some(nil), "\(outcome)")
        #expect(outcome.reason?.contains("\(status)") == true)
        #expect(outcome.httpStatus == status)
    }

    @Test(arguments: [400, 401, 403, 404, 410, 422])
    func clientErrorsFailPermanentlyWithTheGatewaysExplanation(status: Int) async throws {
        let outcome = try await outcome(for: ScriptedResponse(status: status, body: "{\"error\": \"nope\"}"))
        #expect(outcome.isFailed && outcome.httpStatus == status, "\(outcome)")
        #expect(outcome.reason?.contains("nope") == true, "\(outcome)")
    }

    @Test func anAnswerSlowerThanTheChannelsTimeoutIsRetried() async throws {
        let outcome = try await outcome(for: ScriptedResponse(delayMilliseconds: 3000), timeoutMilliseconds: 300)
        #expect(outcome.isRetry && outcome.reason?.hasPrefix("timeout") == true, "\(outcome)")
        #expect(outcome.httpStatus == nil, "no answer, no status")
    }

    @Test func aConnectionResetIsRetried() async throws {
        let outcome = try await outcome(for: ScriptedResponse(reset: true))
        #expect(outcome.isRetry && outcome.reason?.hasPrefix("sendOrReceive") == true, "\(outcome)")
        #expect(outcome.httpStatus == nil, "no answer, no status")
    }
}
