import Curl
import Foundation
import Testing

@Suite("Failures are classified", .timeLimit(.minutes(1)))
struct TransportFailureTests {
    @Test func answerSlowerThanTheTimeoutFailsWithTimeout() async throws {
        try await withTestServer { server in
            try await withTransport { transport in
                let started = ContinuousClock.now
                let error = await #expect(throws: CurlTransportError.self) {
                    try await transport.send(HTTPRequest(url: server.url("/slow?ms=5000"), timeout: .milliseconds(300)))
                }
                #expect(error?.code == .timeout)
                #expect(error?.curlCode == 28)
                #expect(error?.host == "127.0.0.1")
                #expect(error?.isTransient == true)
                #expect(ContinuousClock.now - started < .seconds(3))
            }
        }
    }

    @Test func closedPortFailsWithConnect() async throws {
        let port = try closedPort()
        try await withTransport { transport in
            let error = await #expect(throws: CurlTransportError.self) {
                try await transport.send(HTTPRequest(url: "http://127.0.0.1:\(port)/"))
            }
            #expect(error?.code == .connect)
            #expect(error?.curlCode == 7)
        }
    }

    @Test func unresolvableHostFailsWithDNS() async throws {
        try await withTransport { transport in
            let error = await #expect(throws: CurlTransportError.self) {
                try await transport.send(HTTPRequest(url: "http://nonexistent.invalid/path"))
            }
            #expect(error?.code == .dns)
            #expect(error?.host == "nonexistent.invalid")
        }
    }

    @Test(arguments: ["ftp://127.0.0.1/file", "file:///etc/passwd", "gopher://127.0.0.1/", "smtp://127.0.0.1/"])
    func schemeOutsideTheAllowedProtocolsIsRefused(url: String) async throws {
        try await withTransport { transport in
            let error = await #expect(throws: CurlTransportError.self) {
                try await transport.send(HTTPRequest(url: url))
            }
            #expect(error?.code == .protocolNotAllowed)
            #expect(error?.isTransient == false)
        }
    }

    @Test func connectionDroppedWithoutAnswerFailsWithSendOrReceive() async throws {
        try await withTestServer { server in
            try await withTransport { transport in
                let error = await #expect(throws: CurlTransportError.self) {
                    try await transport.send(HTTPRequest(method: .post, url: server.url("/reset"), body: Array("{}".utf8)))
                }
                #expect(error?.code == .sendOrReceive)
                #expect(error?.isTransient == true)
            }
        }
    }

    @Test func errorNamesTheHostButNotTheCredentials() async throws {
        let port = try closedPort()
        try await withTransport { transport in
            let error = await #expect(throws: CurlTransportError.self) {
                try await transport.send(HTTPRequest(url: "http://user:s3cret@127.0.0.1:\(port)/?token=t0ken"))
            }
            #expect(error?.host == "127.0.0.1")
            let text = String(describing: error)
            #expect(!text.contains("s3cret") && !text.contains("t0ken"))
        }
    }
}
