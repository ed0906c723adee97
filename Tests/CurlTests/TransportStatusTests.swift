import Curl
import Testing

@Suite("HTTP error statuses are responses", .timeLimit(.minutes(1)))
struct TransportStatusTests {
    @Test func serverErrorIsAResponseClassifiedRetryable() async throws {
        try await withTestServer { server in
            try await withTransport { transport in
                let response = try await transport.send(HTTPRequest(method: .post, url: server.url("/status/500")))
                #expect(response.status == 500)
                #expect(response.classification == .retryable)
                #expect(response.retryAfter() == nil)
            }
        }
    }

    @Test func tooManyRequestsIsRetryableAfterTheAdvertisedDelay() async throws {
        try await withTestServer { server in
            try await withTransport { transport in
                let response = try await transport.send(HTTPRequest(url: server.url("/status/429?retry-after=7")))
                #expect(response.status == 429)
                #expect(response.classification == .retryable)
                #expect(response.retryAfter() == .seconds(7))
            }
        }
    }

    @Test func clientErrorIsAPermanentResponse() async throws {
        try await withTestServer { server in
            try await withTransport { transport in
                let response = try await transport.send(HTTPRequest(url: server.url("/status/422")))
                #expect(response.status == 422)
                #expect(response.classification == .permanent)
            }
        }
    }

    @Test func redirectIsReturnedNotFollowed() async throws {
        try await withTestServer { server in
            try await withTransport { transport in
                let response = try await transport.send(HTTPRequest(url: server.url("/status/302?location=/echo")))
                #expect(response.status == 302)
                #expect(response.classification == .permanent)
            }
        }
    }
}
