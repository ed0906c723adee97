import Logging
import ServiceLifecycle
import TuttiRuntime
import TuttiStore

/// Builds the scheduler process: the database pool, the maintenance loops (housekeeping, the
/// work queue, customer value recomputation, the sweep of imports whose process stopped, the campaign engine), and the health and metrics server, in the order
/// they start (they stop in reverse).
public func buildSchedulerServices(configuration: TuttiConfiguration, logger: Logger) async throws -> [any Service] {
    let environment = try await ProcessEnvironment.prepare(configuration: configuration, logger: logger)
    return [
        environment.client,
        MaintenanceService(
            database: Database(client: environment.client), logger: logger, dedupWindow: configuration.eventDedupWindow),
        CustomerValueService(
            database: Database(client: environment.client), logger: logger, interval: configuration.valueRecomputeInterval),
        QueueMaintenanceService(database: Database(client: environment.client), logger: logger),
        ImportSweepService(
            database: Database(client: environment.client), logger: logger, staleAfter: configuration.importStaleAfter),
        CampaignService(
            database: Database(client: environment.client), logger: logger, chunkSize: configuration.campaignChunkSize),
        OperationsServer.build(port: configuration.http.schedulerPort, environment: environment, name: "tutti-scheduler"),
    ]
}
