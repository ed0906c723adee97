import Hummingbird
import Logging

/// The small HTTP server of the scheduler and the worker: health and metrics only, with the
/// same request ids and problem responses as the API.
public enum OperationsServer {
    public static func build(
        port: Int, environment: ProcessEnvironment, name: String
    ) -> some ApplicationProtocol {
        let routes = RouteTable()
        let router = Router()
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: ProblemMiddleware(routes: routes, maxBodyBytes: environment.configuration.http.maxBodyBytes))
        router.add(middleware: BodyLimitMiddleware(limit: environment.configuration.http.maxBodyBytes))
        OperationsRoutes.add(to: router, readiness: ReadinessCheck(client: environment.client, catalog: environment.catalog))
        routes.record(router.routes.map { (path: $0.path.description, method: $0.method.rawValue) })
        let logger = environment.logger
        return Application(
            router: router,
            configuration: .init(address: .hostname(environment.configuration.http.host, port: port), serverName: name),
            onServerRunning: { channel in
                logger.notice("listening", metadata: ["http.address": "\(channel.localAddress?.description ?? "?")"])
            },
            logger: logger)
    }
}
