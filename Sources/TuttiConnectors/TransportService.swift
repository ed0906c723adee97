import Curl
import ServiceLifecycle

/// Keeps a process's libcurl transports for as long as the process runs, and shuts them down
/// on graceful shutdown (SIGTERM): each transport's thread releases its handles and closes its
/// connections. Listed in the service group before the services that send through the
/// transports, so that it is shut down after them.
public struct TransportService: Service {
    let transports: [CurlTransport]

    public init(_ transports: [CurlTransport]) {
        self.transports = transports
    }

    public func run() async throws {
        try? await gracefulShutdown()
        for transport in transports { await transport.shutdown() }
    }
}
