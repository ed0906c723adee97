@testable import Curl
import Foundation
import Testing

@Suite("Cancellation and shutdown", .timeLimit(.minutes(1)))
struct TransportLifecycleTests {
    @Test func cancellingTheTaskAbandonsTheRequest() async throws {
        try await withTestServer { server in
            try await withTransport { transport in
                let started = ContinuousClock.now
                let task = Task { try await transport.send(HTTPRequest(url: server.url("/slow?ms=5000"))) }
                task.cancel()
                let error = await #expect(throws: CurlTransportError.self) { try await task.value }
                #expect(error?.code == .cancelled)
                #expect(ContinuousClock.now - started < .seconds(3))
                // The transport is still usable afterwards.
                let after = try await transport.send(HTTPRequest(url: server.url("/status/200")))
                #expect(after.status == 200)
            }
        }
    }

    @Test func shutdownFailsRequestsInFlightAndLater() async throws {
        try await withTestServer { server in
            let transport = CurlTransport(configuration: .test())
            let started = ContinuousClock.now
            let pending = Task { try await transport.send(HTTPRequest(url: server.url("/slow?ms=5000"))) }
            await transport.shutdown()
            let error = await #expect(throws: CurlTransportError.self) { try await pending.value }
            #expect(error?.code == .shutdown)
            let late = await #expect(throws: CurlTransportError.self) {
                try await transport.send(HTTPRequest(url: server.url("/status/200")))
            }
            #expect(late?.code == .shutdown)
            #expect(ContinuousClock.now - started < .seconds(3))
            await transport.shutdown()  // idempotent
        }
    }

    @Test func droppingTheTransportStopsItsThread() async throws {
        // The driving thread holds the driver until it exits, so the driver
        // going away shows the thread has finished.
        weak var driver: CurlMultiDriver?
        do {
            let transport = CurlTransport(configuration: .test())
            driver = transport.driver
        }
        let deadline = ContinuousClock.now + .seconds(5)
        while driver != nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))  // a thread exit has no event to await
        }
        #expect(driver == nil)
    }
}
