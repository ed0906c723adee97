import Curl
import Testing

/// `send(_:concurrency:)`: many requests handed over at once, answered together in order.
@Suite("Sending a batch", .timeLimit(.minutes(1)))
struct TransportBatchTests {
    @Test func everyRequestIsAnsweredInItsOwnPlaceOverAtMostConcurrencyConnections() async throws {
        try await withTestServer { server in
            try await withTransport(.test(maximumConnectionsPerHost: 32)) { transport in
                let requests = (0..<300).map { HTTPRequest(method: .post, url: server.url("/echo?n=\($0)"), body: Array("\($0)".utf8)) }
                let results = await transport.send(requests, concurrency: 6)
                let replies = try results.map { try EchoReply(try $0.get()) }
                #expect(replies.map(\.body) == (0..<300).map { "\($0)" }, "answers come back in request order")
                #expect(Set(replies.map(\.clientPort)).count <= 6, "never more connections than requests in flight")
            }
        }
    }

    @Test func aRequestThatCannotStartFailsAloneAndTheOthersAreSent() async throws {
        try await withTestServer { server in
            try await withTransport { transport in
                let requests = [
                    HTTPRequest(url: server.url("/echo?n=0")),
                    HTTPRequest(url: server.url("/echo?n=1"), headers: ["X-Bad": "a\r\nInjected: yes"]),
                    HTTPRequest(url: "ftp://example.com/file"),
                    HTTPRequest(url: server.url("/status/503")),
                ]
                let results = await transport.send(requests, concurrency: 4)
                #expect(results.count == 4)
                #expect((try? results[0].get())?.status == 200)
                #expect(throws: CurlTransportError.self) { try results[1].get() }
                #expect(throws: CurlTransportError.self) { try results[2].get() }
                #expect((try? results[3].get())?.status == 503, "a status is an answer, not a failure")
            }
        }
    }

    @Test func cancellingTheCallerAnswersEveryUnfinishedRequestCancelledPromptly() async throws {
        try await withTestServer { server in
            try await withTransport { transport in
                let requests = (0..<20).map { _ in HTTPRequest(url: server.url("/slow?ms=5000")) }
                let started = ContinuousClock.now
                let task = Task { await transport.send(requests, concurrency: 4) }
                try await Task.sleep(for: .milliseconds(200))
                task.cancel()
                let results = await task.value
                #expect(ContinuousClock.now - started < .seconds(3))
                #expect(results.count == 20)
                for result in results {
                    #expect(throws: CurlTransportError.self) { try result.get() }
                    if case .failure(let error) = result { #expect(error.code == .cancelled) }
                }
            }
        }
    }

    @Test func aShutDownTransportFailsTheWholeBatch() async throws {
        try await withTestServer { server in
            let transport = CurlTransport(configuration: .test())
            await transport.shutdown()
            let results = await transport.send([HTTPRequest(url: server.url("/echo")), HTTPRequest(url: server.url("/echo"))], concurrency: 2)
            #expect(results.count == 2)
            for case .failure(let error) in results { #expect(error.code == .shutdown) }
            #expect(results.allSatisfy { if case .failure = $0 { true } else { false } })
        }
    }
}
