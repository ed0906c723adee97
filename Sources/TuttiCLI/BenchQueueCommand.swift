import ArgumentParser
import Foundation
import Logging
import TuttiDomain
import TuttiQueue
import TuttiStore

/// `tutti bench queue`: claim + complete of no-op jobs through TuttiQueue's public API, as a
/// worker would call it. The claim and the lease fence are the SQL the delivery worker's cycle
/// runs (`QueueClaimSQL`); the worker's statement adds the message join and the record of
/// sent messages, which `ops/bench-deliveries` measures. Enqueues `--jobs` jobs spread over `--tenants` new tenants, then
/// `--connections` loops claim batches of `--batch` and complete them until none is left, and
/// prints jobs/s. Two shapes:
///   pipelined (default)  each claim also completes the loop's previous batch of that tenant
///                        (`queueCompleteAndClaim`): one statement and one commit per batch
///   --fair               `queueClaimNext` (ready-tenant discovery and rotation), then a
///                        separate `queueComplete` transaction per batch
struct BenchQueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queue", abstract: "Claim + complete throughput of no-op jobs.")

    @Option(help: "Jobs to enqueue and then claim and complete.") var jobs = 200_000
    @Option(help: "Jobs per claim.") var batch = 500
    @Option(help: "Concurrent claim loops, each on its own connection.") var connections = 4
    @Option(help: "Tenants the jobs are spread over.") var tenants = 4
    @Flag(help: "Claim through ready-tenant rotation and complete in a separate transaction.") var fair = false

    func run() async throws {
        let context = try CLIContext.make()
        let logger = context.logger
        let (jobs, batch, connections, tenantCount, fair) = (jobs, batch, connections, tenants, fair)
        let queue = QueueName(stringLiteral: "bench-\(UUID().uuidString.prefix(8).lowercased())")
        try await context.withDatabase(connections: connections + 1) { database in
            var tenantIDs: [UUID] = []
            for index in 0..<tenantCount {
                let id = UUID.v7()
                _ = try await database.withTenant(id, logger: logger) { try await $0.tenantInsert(name: "bench-queue \(index)") }
                tenantIDs.append(id)
            }
            let enqueueStart = ContinuousClock.now
            for (index, tenant) in tenantIDs.enumerated() {
                var remaining = jobs / tenantCount + (index < jobs % tenantCount ? 1 : 0)
                while remaining > 0 {
                    let count = min(remaining, 10_000)
                    let batchJobs = [NewQueueJob](repeating: NewQueueJob(queue: queue, payload: #"{"noop":true}"#), count: count)
                    _ = try await database.withTenant(tenant, logger: logger) { try await $0.queueEnqueue(batchJobs) }
                    remaining -= count
                }
            }
            let enqueueSeconds = (ContinuousClock.now - enqueueStart).secondsValue
            print(String(format: "enqueued %d jobs for %d tenants in %.2f s: %.0f jobs/s", jobs, tenantCount, enqueueSeconds, Double(jobs) / enqueueSeconds))

            let ids = tenantIDs
            let start = ContinuousClock.now
            let done = try await withThrowingTaskGroup(of: Int.self) { group in
                for loop in 0..<connections {
                    group.addTask {
                        let worker = "bench-\(loop)"
                        if fair {
                            return try await Self.fairLoop(database, queue: queue, worker: worker, batch: batch, logger: logger)
                        }
                        // Each loop starts its rotation at a different tenant.
                        let order = Array(ids[(loop % tenantCount)...] + ids[..<(loop % tenantCount)])
                        return try await Self.pipelinedLoop(database, tenants: order, queue: queue, worker: worker, batch: batch, logger: logger)
                    }
                }
                var total = 0
                for try await count in group { total += count }
                return total
            }
            let seconds = (ContinuousClock.now - start).secondsValue
            print(String(format: "claimed and completed %d jobs in %.2f s with %d connections, batches of %d (%@): %.0f jobs/s",
                         done, seconds, connections, batch, fair ? "fair rotation, separate complete" : "pipelined complete+claim",
                         Double(done) / seconds))
        }
    }

    private static func pipelinedLoop(
        _ database: Database, tenants: [UUID], queue: QueueName, worker: String, batch: Int, logger: Logger
    ) async throws -> Int {
        var pending: [UUID: [QueueLease]] = [:]
        var completed = 0
        var idleRounds = 0
        while idleRounds < 2 {
            var claimedThisRound = 0
            for tenant in tenants {
                let leases = pending[tenant] ?? []
                let result = try await database.withTenant(tenant, logger: logger) {
                    try await $0.queueCompleteAndClaim(completing: leases, queue: queue, worker: worker, limit: batch, lease: .seconds(30))
                }
                completed += result.completed
                pending[tenant] = result.jobs.map(\.lease)
                claimedThisRound += result.jobs.count
            }
            idleRounds = claimedThisRound == 0 ? idleRounds + 1 : 0
        }
        return completed
    }

    private static func fairLoop(_ database: Database, queue: QueueName, worker: String, batch: Int, logger: Logger) async throws -> Int {
        var rotation = TenantRotation()
        var completed = 0
        while let claim = try await database.queueClaimNext(&rotation, queue: queue, worker: worker, limit: batch, lease: .seconds(30), logger: logger) {
            let leases = claim.jobs.map(\.lease)
            completed += try await database.withTenant(claim.tenantID, logger: logger) { try await $0.queueComplete(leases) }
        }
        return completed
    }
}
