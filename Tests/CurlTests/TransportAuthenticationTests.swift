import Curl
import Foundation
import Testing

@Suite("Authentication", .timeLimit(.minutes(1)))
struct TransportAuthenticationTests {
    @Test func basicCredentialsArriveInTheAuthorizationHeader() async throws {
        try await withTestServer { server in
            try await withTransport { transport in
                let echo = try EchoReply(
                    try await transport.send(
                        HTTPRequest(method: .post, url: server.url("/echo"), authentication: .basic(username: "AC123", password: "p:ss"))))
                #expect(echo.header("authorization") == ["Basic " + Data("AC123:p:ss".utf8).base64EncodedString()])
            }
        }
    }

    @Test func sigV4SignsWithTheCredentialScopeAndSendsOnlyRealHeaders() async throws {
        try await withTestServer { server in
            try await withTransport { transport in
                let echo = try EchoReply(
                    try await transport.send(
                        HTTPRequest(
                            method: .post, url: server.url("/echo"), headers: ["Content-Type": "application/json"], body: Array("{}".utf8),
                            authentication: .awsSigV4(region: "eu-west-1", service: "ses", accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret"))))
                let authorization = try #require(echo.header("authorization").first)
                #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"))
                #expect(authorization.contains("/eu-west-1/ses/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature="))
                #expect(echo.header("x-amz-date").count == 1)
                #expect(!authorization.contains("secret"))
            }
        }
    }
}
