import Curl
import Testing

@Suite("Requests and responses", .timeLimit(.minutes(1)))
struct TransportRequestTests {
    @Test func postWithJSONBodyAndCustomHeadersArrivesIntact() async throws {
        try await withTestServer { server in
            try await withTransport { transport in
                let json = #"{"to":"+41790000000","text":"Grüezi ✓"}"#
                let response = try await transport.send(
                    HTTPRequest(
                        method: .post,
                        url: server.url("/echo?campaign=7"),
                        headers: ["Content-Type": "application/json", "X-Request-ID": "abc-123", "X-Multi": "1", "x-multi": "2"],
                        body: Array(json.utf8)
                    )
                )
                let echo = try EchoReply(response)
                #expect(echo.method == "POST")
                #expect(echo.path == "/echo?campaign=7")
                #expect(echo.header("content-type") == ["application/json"])
                #expect(echo.header("x-request-id") == ["abc-123"])
                #expect(echo.header("x-multi") == ["1", "2"])
                #expect(echo.header("content-length") == ["\(json.utf8.count)"])
                #expect(echo.header("expect").isEmpty)
                #expect(echo.body == json)
            }
        }
    }

    /// Header lines reach libcurl as one block built by hand (`HeaderLineBlock`); a handle
    /// reused for the next POST gets the next request's lines, not a mix of both.
    @Test func emptyAndNonASCIIHeaderValuesArriveAndReusedHandlesSendOnlyTheirOwn() async throws {
        try await withTestServer { server in
            try await withTransport { transport in
                for round in 0..<3 {
                    let headers: HTTPHeaders = round == 1 ? ["X-Only-Second": "2"] : ["X-Empty": "", "X-Round": "\(round)", "X-Text": "Grüezi"]
                    let echo = try EchoReply(
                        try await transport.send(HTTPRequest(method: .post, url: server.url("/echo"), headers: headers, body: Array("{}".utf8))))
                    if round == 1 {
                        #expect(echo.header("x-only-second") == ["2"])
                        #expect(echo.header("x-round").isEmpty && echo.header("x-empty").isEmpty)
                    } else {
                        #expect(echo.header("x-empty") == [""])
                        #expect(echo.header("x-round") == ["\(round)"])
                        // The stand-in reads header bytes as ISO 8859-1, as HTTP/1.1 says.
                        #expect(echo.header("x-text") == [String("Grüezi".utf8.map { Character(Unicode.Scalar($0)) })])
                        #expect(echo.header("x-only-second").isEmpty)
                    }
                    #expect(echo.header("content-type").isEmpty)
                }
            }
        }
    }

    @Test func binaryBodyWithNULBytesArrivesIntact() async throws {
        try await withTestServer { server in
            try await withTransport { transport in
                let bytes: [UInt8] = [0, 1, 0, 255, 0x0d, 0x0a, 0]
                let response = try await transport.send(HTTPRequest(method: .put, url: server.url("/echo"), body: bytes))
                let echo = try EchoReply(response)
                #expect(echo.method == "PUT")
                #expect(echo.bodyHex == "000100ff0d0a00")
            }
        }
    }

    @Test(arguments: [HTTPMethod.get, .delete, .patch, .put, HTTPMethod(rawValue: "OPTIONS")])
    func methodArrivesAsGiven(method: HTTPMethod) async throws {
        try await withTestServer { server in
            try await withTransport { transport in
                let echo = try EchoReply(try await transport.send(HTTPRequest(method: method, url: server.url("/echo"))))
                #expect(echo.method == method.rawValue)
                #expect(echo.body.isEmpty)
                #expect(echo.header("content-type").isEmpty)
            }
        }
    }

    @Test func responseStatusHeadersAndBodyComeBack() async throws {
        try await withTestServer { server in
            try await withTransport { transport in
                let response = try await transport.send(HTTPRequest(url: server.url("/status/201")))
                #expect(response.status == 201)
                #expect(response.classification == .success)
                #expect(String(decoding: response.body, as: UTF8.self) == "status 201")
                #expect(response.headers["X-Served-By"] == "test-server")
                #expect(response.headers.contains { $0.name == "x-served-by" })
                #expect(response.headers["content-length"] == "10")
                #expect(response.timing.total > .zero)
            }
        }
    }

    @Test func repeatedResponseHeadersAreAllKept() async throws {
        try await withTestServer { server in
            try await withTransport { transport in
                let response = try await transport.send(HTTPRequest(url: server.url("/echo")))
                #expect(response.headers.values(for: "set-cookie") == ["a=1", "b=2"])
            }
        }
    }

    @Test func interimContinueHeadersAreNotMixedIntoTheResponse() async throws {
        try await withTestServer { server in
            try await withTransport { transport in
                // The server answers "Expect: 100-continue" with a 100 block carrying X-Interim.
                let response = try await transport.send(
                    HTTPRequest(method: .post, url: server.url("/echo"), headers: ["Expect": "100-continue"], body: [1])
                )
                #expect(response.status == 200)
                #expect(response.headers["x-interim"] == nil)
                #expect(response.headers["content-type"] == "application/json")
            }
        }
    }

    @Test func foldedResponseHeaderIsJoined() async throws {
        try await withTestServer { server in
            try await withTransport { transport in
                let response = try await transport.send(HTTPRequest(url: server.url("/status/200?folded=1")))
                #expect(response.headers["x-folded"] == "first second")
            }
        }
    }

    @Test func headerValueWithLineBreakIsRejectedBeforeSending() async throws {
        try await withTransport { transport in
            let request = HTTPRequest(url: "http://127.0.0.1:9/", headers: ["X-Evil": "a\r\nHost: other"])
            let error = await #expect(throws: CurlTransportError.self) { try await transport.send(request) }
            #expect(error?.code == .invalidRequest)
        }
    }

    @Test func responseLargerThanTheLimitFails() async throws {
        try await withTestServer { server in
            try await withTransport(.test(maximumResponseBodySize: 1000)) { transport in
                let fits = try await transport.send(HTTPRequest(url: server.url("/bytes/1000")))
                #expect(fits.body.count == 1000)
                let error = await #expect(throws: CurlTransportError.self) {
                    try await transport.send(HTTPRequest(url: server.url("/bytes/1001")))
                }
                #expect(error?.code == .responseTooLarge)
            }
        }
    }
}
