import Curl
import Foundation

extension CurlTransport.Configuration {
    /// Test defaults: no proxy from the environment, generous but finite limits.
    static func test(
        timeout: Duration = .seconds(10),
        caFile: String? = nil,
        maximumConnectionsPerHost: Int = 8,
        maximumResponseBodySize: Int = 1 << 20
    ) -> Self {
        Self(
            timeout: timeout,
            caFile: caFile,
            maximumConnectionsPerHost: maximumConnectionsPerHost,
            maximumResponseBodySize: maximumResponseBodySize,
            proxy: .none
        )
    }
}

/// Runs `body` with a fresh transport and shuts it down afterwards.
func withTransport<T>(
    _ configuration: CurlTransport.Configuration = .test(),
    _ body: (CurlTransport) async throws -> T
) async throws -> T {
    let transport = CurlTransport(configuration: configuration)
    do {
        let result = try await body(transport)
        await transport.shutdown()
        return result
    } catch {
        await transport.shutdown()
        throw error
    }
}

/// What the test server's `/echo` route saw.
struct EchoReply: Decodable {
    let method: String
    let path: String
    let headers: [[String]]
    let body: String
    let bodyHex: String
    let clientPort: Int

    init(_ response: HTTPResponse) throws {
        self = try JSONDecoder().decode(EchoReply.self, from: Data(response.body))
    }

    /// Every value the server received for `name` (lower-case).
    func header(_ name: String) -> [String] {
        headers.filter { $0.first == name }.map { $0[1] }
    }
}
