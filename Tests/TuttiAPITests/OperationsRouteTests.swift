import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiRuntime

@Suite("Health, metrics and the API description")
struct OperationsRouteTests {
    @Test func liveAndReadyAnswerWhenTheDatabaseIsCurrent() async throws {
        try await withAPI { client in
            try await client.execute(uri: "/health/live", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/health/ready", method: .get) { response throws in
                #expect(response.status == .ok)
                #expect(try response.json()["status"] as? String == "ready")
            }
        }
    }

    @Test func metricsArePrometheusTextCountingRequests() async throws {
        try await withAPI { client in
            try await client.execute(uri: "/health/live", method: .get) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response throws in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                let text = String(buffer: response.body)
                #expect(text.contains("# TYPE"))
                #expect(text.contains("http_server_request_duration"))
            }
        }
    }

    @Test func openAPIDocumentIsServed() async throws {
        try await withAPI { client in
            try await client.execute(uri: "/openapi.json", method: .get) { response throws in
                #expect(response.status == .ok)
                #expect((try response.json()["openapi"] as? String)?.hasPrefix("3.1") == true)
            }
        }
    }
}
