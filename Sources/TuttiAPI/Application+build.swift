import Curl
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import TuttiConnectors
import TuttiRuntime
import TuttiStore

/// Builds the API process: the routes, the middleware every route shares, and the services
/// (the database pool, the channel tests' libcurl transport, the API key cache's revocation
/// listener) that run beside the HTTP server. `tutti-api` and the tests both call it.
public func buildApplication(configuration: TuttiConfiguration, logger: Logger) async throws -> some ApplicationProtocol {
    let environment = try await ProcessEnvironment.prepare(configuration: configuration, logger: logger)
    let cache = configuration.apiKeyCacheTTL > .zero ? APIKeyCache(ttl: configuration.apiKeyCacheTTL) : nil
    let transport = CurlTransport()
    var dependencies = APIDependencies(
        database: Database(client: environment.client), configuration: configuration, transport: transport, apiKeyCache: cache)
    dependencies.decisions = DecisionEngine(database: dependencies.database, logger: logger)
    let router = buildRouter(dependencies: dependencies, readiness: ReadinessCheck(client: environment.client, catalog: environment.catalog))
    var services: [any Service] = [environment.client, TransportService([transport])]
    if let cache { services.append(APIKeyRevocationListener(client: environment.client, cache: cache, logger: logger)) }
    // After the pool, so that on shutdown it writes its last impressions before the pool closes.
    services.append(dependencies.decisions.recorder)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.http.host, port: configuration.http.apiPort), serverName: "tutti-api"),
        services: services,
        onServerRunning: { channel in
            logger.notice("listening", metadata: ["http.address": "\(channel.localAddress?.description ?? "?")"])
        },
        logger: logger)
}

/// The API's router; separate so tests can compare its routes with the OpenAPI document.
public func buildRouter(dependencies: APIDependencies, readiness: ReadinessCheck) -> Router<APIRequestContext> {
    let routes = RouteTable()
    let router = Router(context: APIRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: ProblemMiddleware(routes: routes, maxBodyBytes: dependencies.maxBodyBytes))
    router.add(middleware: MetricsMiddleware())

    OperationsRoutes.add(to: router, readiness: readiness)
    OpenAPIDocument.addRoute(to: router)
    // Body limits are per group: JSON routes take maxBodyBytes, imports stream up to maxImportBytes.
    let bodyLimit = BodyLimitMiddleware<APIRequestContext>(limit: dependencies.maxBodyBytes)
    let open = router.group().add(middleware: bodyLimit)
    TenantRoutes.addOperatorRoutes(to: open, dependencies: dependencies)
    ConsentRoutes.addPublicRoutes(to: open, dependencies: dependencies)
    UnsubscribeRoutes.add(to: open, dependencies: dependencies)
    PreferenceCentreRoutes.add(to: open, dependencies: dependencies)
    CallbackRoutes.add(to: open, dependencies: dependencies)

    let v1 = router.group("/v1")
        .add(middleware: bodyLimit)
        .add(middleware: AuthenticationMiddleware(database: dependencies.database, cache: dependencies.apiKeyCache))
        .add(middleware: IdempotencyMiddleware(database: dependencies.database, maxBodyBytes: dependencies.maxBodyBytes))
    TenantRoutes.addTenantRoutes(to: v1, dependencies: dependencies)
    APIKeyRoutes.add(to: v1, dependencies: dependencies)
    CustomerRoutes.add(to: v1, dependencies: dependencies)
    TimelineRoutes.add(to: v1, dependencies: dependencies)
    AttributeSourceRoutes.add(to: v1, dependencies: dependencies)
    ConsentRoutes.add(to: v1, dependencies: dependencies)
    CustomerValueRoutes.add(to: v1, dependencies: dependencies)
    SegmentRoutes.add(to: v1, dependencies: dependencies)
    SegmentAudienceRoutes.add(to: v1, dependencies: dependencies)
    TemplateRoutes.add(to: v1, dependencies: dependencies)
    TemplatePreviewRoute.add(to: v1, dependencies: dependencies)
    RuleRoutes.add(to: v1, dependencies: dependencies)
    MessageRoutes.add(to: v1, dependencies: dependencies)
    ContactPolicyRoutes.add(to: v1, dependencies: dependencies)
    ChannelRoutes.add(to: v1, dependencies: dependencies)
    CampaignRoutes.add(to: v1, dependencies: dependencies)
    CampaignActionRoutes.add(to: v1, dependencies: dependencies)
    OfferRoutes.add(to: v1, dependencies: dependencies)
    OfferCodeRoutes.add(to: v1, dependencies: dependencies)
    OfferArbitrationRoutes.add(to: v1, dependencies: dependencies)
    TopicRoutes.add(to: v1, dependencies: dependencies)
    PreferenceSettingsRoutes.add(to: v1, dependencies: dependencies)
    PlacementRoutes.add(to: v1, dependencies: dependencies)
    DecisionRoutes.add(to: v1, dependencies: dependencies)
    DecisionResponseRoutes.add(to: v1, dependencies: dependencies)

    // Ingestion also accepts the write key as the HTTP Basic user name, as Segment's libraries send it.
    let ingestion = router.group("/v1")
        .add(middleware: bodyLimit)
        .add(middleware: AuthenticationMiddleware(database: dependencies.database, cache: dependencies.apiKeyCache, acceptsBasic: true))
        .add(middleware: IdempotencyMiddleware(database: dependencies.database, maxBodyBytes: dependencies.maxBodyBytes))
    IngestionRoutes.add(to: ingestion, dependencies: dependencies)
    SocialRoutes.add(to: ingestion, dependencies: dependencies)

    // Imports stream their body: no IdempotencyMiddleware (it holds bodies in memory).
    let imports = router.group("/v1/imports")
        .add(middleware: BodyLimitMiddleware(limit: dependencies.configuration.http.maxImportBytes))
        .add(middleware: AuthenticationMiddleware(database: dependencies.database, cache: dependencies.apiKeyCache))
    ImportRoutes.add(to: imports, dependencies: dependencies)

    routes.record(router.routes.map { (path: $0.path.description, method: $0.method.rawValue) })
    return router
}
