import Foundation
import PostgresNIO
import Testing
import TuttiDomain
import TuttiQueue
import TuttiStore
import TuttiTestSupport

@Suite("Queue: tenant isolation")
struct QueueIsolationTests {
    let logger = TestDatabase.logger

    @Test func anotherTenantsSessionCannotSeeClaimCompleteOrFailTheJobs() async throws {
        try await withTestDatabase { database in
            let a = try await TestTenant.make("A", in: database).tenant.id
            let b = try await TestTenant.make("B", in: database).tenant.id
            let queue = uniqueQueueName()
            try await database.enqueue([NewQueueJob(queue: queue), NewQueueJob(queue: queue)], tenant: a)
            let leased = try await database.claim(queue, tenant: a, limit: 1)
            let leases = leased.map(\.lease)
            let visible = try await database.withTenant(b, logger: logger) { session in
                // No tenant filter at all: row-level security alone must hide A's rows.
                let rows = try await session.connection.query("SELECT count(*)::int8 FROM queue_jobs", logger: logger)
                for try await count in rows.decode(Int.self) { return count }
                return -1
            }
            let claimed = try await database.claim(queue, tenant: b, limit: 10)
            let completed = try await database.withTenant(b, logger: logger) { try await $0.queueComplete(leases) }
            let failed = try await database.withTenant(b, logger: logger) {
                try await $0.queueFail(leases.map { QueueFailure(lease: $0, message: "x", disposition: .permanent) })
            }
            let snapshots = try await database.withTenant(b, logger: logger) { try await $0.queueJobs(ids: leases.map(\.jobID)) }
            #expect(visible == 0)
            #expect(claimed.isEmpty)
            #expect(completed == 0)
            #expect(failed == QueueFailResult(retried: 0, deadLettered: 0))
            #expect(snapshots.isEmpty)
            #expect(try await database.job(leased[0].id, tenant: a)?.state == .leased)
        }
    }

    @Test func enqueueingForAnotherTenantIsRefusedByThePolicy() async throws {
        try await withTestDatabase { database in
            let a = try await TestTenant.make("A", in: database).tenant.id
            let b = try await TestTenant.make("B", in: database).tenant.id
            await #expect(throws: StoreError.self) {
                try await database.withTenant(a, logger: logger) { session in
                    try await session.connection.query(
                        "INSERT INTO queue_jobs (tenant_id, queue, state) VALUES (\(b), 'stolen', 'ready')", logger: logger)
                }
            }
        }
    }

    @Test func readyTenantDiscoveryListsEachTenantWithReadyWorkOnceInTenantOrder() async throws {
        try await withTestDatabase { database in
            let queue = uniqueQueueName()
            var tenants: [UUID] = []
            for name in ["One", "Two", "Three"] { tenants.append(try await TestTenant.make(name, in: database).tenant.id) }
            try await database.enqueue((0..<50).map { _ in NewQueueJob(queue: queue) }, tenant: tenants[0])
            try await database.enqueue([NewQueueJob(queue: queue)], tenant: tenants[1])
            try await database.enqueue([NewQueueJob(queue: queue, schedule: .after(.seconds(3600)))], tenant: tenants[2])
            let listed = try await database.queueReadyTenants(queue: queue, after: nil, limit: 10, logger: logger)
            #expect(listed == tenants[0...1].sorted { $0.uuidString.lowercased() < $1.uuidString.lowercased() })
            let page = try await database.queueReadyTenants(queue: queue, after: listed[0], limit: 10, logger: logger)
            #expect(page == [listed[1]])
        }
    }
}
