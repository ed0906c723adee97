import Logging
import ServiceLifecycle
import TuttiRuntime
import TuttiStore

/// Builds the worker process. Deliveries come in a later issue; for now the worker connects,
/// reports health and metrics, and drains on SIGTERM like the others.
public func buildWorkerServices(configuration: TuttiConfiguration, logger: Logger) async throws -> [any Service] {
    let environment = try await ProcessEnvironment.prepare(configuration: configuration, logger: logger)
    return [
        environment.client,
        OperationsServer.build(port: configuration.http.workerPort, environment: environment, name: "tutti-worker"),
    ]
}
