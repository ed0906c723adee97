import Foundation
import Logging
import ServiceLifecycle
import TuttiDomain
import TuttiStore

/// The campaign engine's scheduler side (docs/campaigns.md, "How the audience is built"), every
/// `interval` (default 1 s) for each tenant with a campaign scheduled or running:
///
/// 1. opens the occurrences that are due (a one-off campaign's only one, a recurring campaign's
///    next cron tick) and sets when the next is due;
/// 2. builds the audience of each open occurrence in chunks of `chunkSize` customers, one
///    transaction per chunk (``TenantSession/campaignBuildChunk(_:)``), resuming after the last
///    customer written; the builder holds the occurrence under a lease it renews with every
///    chunk, so a crashed scheduler's build is taken over once the lease (15 s) lapses;
/// 3. marks running campaigns with nothing left to do as completed.
///
/// Several schedulers may run this at once: due campaigns and occurrences are taken with
/// `FOR UPDATE SKIP LOCKED`, and a recipient's primary key keeps any customer from being
/// planned twice in one occurrence, whatever two builders do.
struct CampaignService: Service {
    let database: Database
    let logger: Logger
    var chunkSize = 5_000
    var interval: Duration = .seconds(1)
    /// How long a builder holds an occurrence without renewing it (it renews with every
    /// chunk, which takes well under a second for 5,000 customers): how soon another scheduler
    /// takes over the build of one that crashed.
    var lease: Duration = .seconds(15)

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await tick()
                try await Task.sleep(for: interval)
            }
        }
    }

    /// One pass over every tenant with an active campaign.
    func tick() async {
        let tenants: [UUID]
        do {
            tenants = try await database.campaignTenantsActive(logger: logger)
        } catch {
            logger.warning("listing tenants with campaigns failed", metadata: ["error": "\(error)"])
            return
        }
        for tenant in tenants where !Task.isCancelled {
            do {
                try await openDue(tenant: tenant)
                while let build = try await database.withTenant(
                    tenant, logger: logger, { try await $0.campaignClaimBuild(lease: lease) })
                {
                    try await self.build(build, tenant: tenant)
                }
                try await database.withTenant(tenant, logger: logger) { try await $0.campaignsComplete() }
            } catch {
                logger.warning(
                    "campaign engine pass failed; the next pass resumes it",
                    metadata: ["tenant.id": "\(tenant.canonicalText)", "error": "\(error)"])
            }
        }
    }

    /// Opens every due occurrence of the tenant's campaigns.
    private func openDue(tenant: UUID) async throws {
        try await database.withTenant(tenant, logger: logger) { session in
            for due in try await session.campaignsDue() {
                let plan = CampaignBuildSettings(definition: due.definition)
                let next = plan.schedule?.nextOccurrence(after: due.dueAt)
                let occurrence = try await session.campaignOpenOccurrence(campaignID: due.id, plannedAt: due.dueAt, next: next)
                logger.info(
                    "campaign occurrence opened",
                    metadata: [
                        "tenant.id": "\(tenant.canonicalText)", "campaign.id": "\(due.id.canonicalText)",
                        "campaign.occurrence": "\(occurrence)",
                    ])
            }
        }
    }

    /// Builds one occurrence's audience to the end, or until its campaign stops running.
    private func build(_ build: OccurrenceBuild, tenant: UUID) async throws {
        let settings = CampaignBuildSettings(definition: build.definition)
        var cursor = build.cursor
        var queued = 0
        let started = ContinuousClock.now
        while !Task.isCancelled {
            let step = try await database.withTenant(tenant, logger: logger) { session -> BuildStep in
                guard
                    try await session.campaignBuildContinues(
                        campaignID: build.campaignID, occurrence: build.occurrence, lease: lease)
                else { return .stopped }
                let now = try await session.databaseNow()
                let page = try await session.campaignAudiencePage(build.audience, now: now, after: cursor, limit: chunkSize)
                if !page.isEmpty {
                    let defaultZone = ScheduleTimeZone(named: try await session.tenantTimeZone()) ?? .utc
                    let policy = try await session.contactPolicyGet().policy
                    let customers = page.map { member in
                        CampaignAudienceChunk.PlannedCustomer(
                            customerID: member.customerID,
                            plannedAt: settings.plannedAt(
                                occurrence: build.plannedAt, customerZone: member.timeZone, tenantZone: defaultZone))
                    }
                    let result = try await session.campaignBuildChunk(
                        CampaignAudienceChunk(
                            campaignID: build.campaignID, occurrence: build.occurrence, customers: customers,
                            channels: build.channels,
                            holdoutPercent: settings.holdoutPercent, expiresAfter: settings.expiresAfter,
                            templateID: build.templateID,
                            templateVersion: build.templateVersion, throttlePerSecond: settings.throttlePerSecond, policy: policy)
                    )
                    queued += result.queued
                }
                if page.count < chunkSize {
                    try await session.campaignFinishBuild(campaignID: build.campaignID, occurrence: build.occurrence)
                    return .finished
                }
                return .more(after: page[page.count - 1].customerID)
            }
            switch step {
            case .more(let after): cursor = after
            case .stopped, .finished:
                logger.info(
                    step == .finished
                        ? "campaign occurrence built" : "campaign occurrence build stopped: the campaign is not running",
                    metadata: [
                        "tenant.id": "\(tenant.canonicalText)", "campaign.id": "\(build.campaignID.canonicalText)",
                        "campaign.occurrence": "\(build.occurrence)", "campaign.queued": "\(queued)",
                        "duration": "\(ContinuousClock.now - started)",
                    ])
                return
            }
        }
    }

    private enum BuildStep: Equatable {
        case more(after: UUID)
        case finished
        case stopped
    }
}
