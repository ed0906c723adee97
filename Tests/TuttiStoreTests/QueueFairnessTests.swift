import Foundation
import Testing
import TuttiDomain
import TuttiQueue
import TuttiStore
import TuttiTestSupport

@Suite("Queue: fairness between tenants")
struct QueueFairnessTests {
    let logger = TestDatabase.logger

    @Test func oneUrgentJobOfASecondTenantIsClaimedWithinTheFirstRoundsBehindTwentyThousand() async throws {
        try await withTestDatabase { database in
            let big = try await TestTenant.make("Big campaign", in: database).tenant.id
            let small = try await TestTenant.make("One message", in: database).tenant.id
            let queue = uniqueQueueName("fair")
            for _ in 0..<4 {
                try await database.enqueue((0..<5000).map { _ in NewQueueJob(queue: queue, priority: .bulk) }, tenant: big)
            }
            var rotation = TenantRotation()
            // The big tenant's backlog is already being worked when the urgent job arrives.
            let head = try #require(try await database.queueClaimNext(&rotation, queue: queue, worker: "w", limit: 100, lease: .seconds(60), logger: logger))
            #expect(head.tenantID == big)
            let urgent = try #require(try await database.enqueue([NewQueueJob(queue: queue, priority: .urgent)], tenant: small)[0])
            var claims: [QueueClaim] = []
            for _ in 0..<3 {
                if let claim = try await database.queueClaimNext(&rotation, queue: queue, worker: "w", limit: 100, lease: .seconds(60), logger: logger) {
                    claims.append(claim)
                }
            }
            let round = claims.firstIndex { $0.jobs.contains { $0.id == urgent } }
            #expect(round != nil && round! <= 1, "claims after the urgent job: \(claims.map { ($0.tenantID == big ? "big" : "small", $0.jobs.count) })")
            #expect(claims.filter { $0.tenantID == big }.allSatisfy { $0.jobs.count == 100 })
        }
    }

    @Test func notificationHintServesAnIdleTenantBeforeTheRoundEnds() async throws {
        try await withTestDatabase { database in
            let big = try await TestTenant.make("Big", in: database).tenant.id
            let small = try await TestTenant.make("Small", in: database).tenant.id
            let queue = uniqueQueueName("hint")
            try await database.enqueue((0..<500).map { _ in NewQueueJob(queue: queue) }, tenant: big)
            var rotation = TenantRotation()
            _ = try await database.queueClaimNext(&rotation, queue: queue, worker: "w", limit: 10, lease: .seconds(60), logger: logger)
            try await database.enqueue([NewQueueJob(queue: queue)], tenant: small)
            rotation.hint(small)
            let next = try await database.queueClaimNext(&rotation, queue: queue, worker: "w", limit: 10, lease: .seconds(60), logger: logger)
            #expect(next?.tenantID == small)
        }
    }
}
