import Curl
import Foundation
import Logging
import ServiceLifecycle
import TuttiConnectors
import TuttiRuntime
import TuttiStore

/// Builds the worker process: the pool, the libcurl transports, the delivery loop
/// (``DeliveryService``) and the operations server (health, metrics), drained in that order's
/// reverse on SIGTERM.
public func buildWorkerServices(configuration: TuttiConfiguration, logger: Logger) async throws -> [any Service] {
    let environment = try await ProcessEnvironment.prepare(configuration: configuration, logger: logger)
    let options = configuration.delivery
    let host = ProcessInfo.processInfo.hostName
    let worker = "\(host)/\(ProcessInfo.processInfo.processIdentifier)"
    let transports = (0..<options.lanes).map { _ in CurlTransport() }
    return [
        environment.client,
        TransportService(transports),
        DeliveryService(
            database: Database(client: environment.client), transports: transports, keyring: configuration.channelKeys,
            options: options,
            worker: worker, publicURL: configuration.publicBaseURL, logger: logger),
        OperationsServer.build(port: configuration.http.workerPort, environment: environment, name: "tutti-worker"),
    ]
}
