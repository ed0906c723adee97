import Curl
import Testing

@Suite("TLS", .timeLimit(.minutes(1)))
struct TransportTLSTests {
    @Test func selfSignedCertificateFailsWithTLS() async throws {
        let certificate = try await TestCertificate.make()
        defer { certificate.remove() }
        try await withTestServer(certificate: certificate) { server in
            try await withTransport { transport in
                let error = await #expect(throws: CurlTransportError.self) {
                    try await transport.send(HTTPRequest(url: server.url("/echo")))
                }
                #expect(error?.code == .tls)
                #expect(error?.isTransient == false)
            }
        }
    }

    @Test func certificateTrustedThroughTheCAFileSucceeds() async throws {
        let certificate = try await TestCertificate.make()
        defer { certificate.remove() }
        try await withTestServer(certificate: certificate) { server in
            try await withTransport(.test(caFile: certificate.certificatePath)) { transport in
                let response = try await transport.send(HTTPRequest(url: server.url("/status/200")))
                #expect(response.status == 200)
                #expect(response.timing.tlsHandshake > .zero)
            }
        }
    }
}
