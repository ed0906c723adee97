import Curl
import Testing

@Suite("Sharing one transport", .timeLimit(.minutes(1)))
struct TransportConcurrencyTests {
    @Test func concurrentSendsSucceedOverFewReusedConnections() async throws {
        try await withTestServer { server in
            try await withTransport(.test(maximumConnectionsPerHost: 8)) { transport in
                let replies = try await withThrowingTaskGroup(of: (EchoReply, Int).self) { group in
                    for index in 0..<200 {
                        group.addTask {
                            let response = try await transport.send(
                                HTTPRequest(method: .post, url: server.url("/echo?n=\(index)"), body: Array("\(index)".utf8))
                            )
                            return (try EchoReply(response), response.newConnections)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(replies.count == 200)
                #expect(Set(replies.map(\.0.body)) == Set((0..<200).map { "\($0)" }))
                let ports = Set(replies.map(\.0.clientPort))
                #expect(ports.count <= 8)
                #expect(replies.map(\.1).reduce(0, +) == ports.count)
            }
        }
    }

    @Test func sequentialSendsReuseOneConnection() async throws {
        try await withTestServer { server in
            try await withTransport { transport in
                var ports: [Int] = []
                var newConnections: [Int] = []
                for _ in 0..<5 {
                    let response = try await transport.send(HTTPRequest(url: server.url("/echo")))
                    ports.append(try EchoReply(response).clientPort)
                    newConnections.append(response.newConnections)
                }
                #expect(Set(ports).count == 1)
                #expect(newConnections == [1, 0, 0, 0, 0])
            }
        }
    }
}
