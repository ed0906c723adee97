import Foundation
import TuttiDomain
import TuttiQueue
import TuttiStore
import TuttiTestSupport

/// A queue name no other test uses: discovery, promotion and stats span tenants, so tests that
/// share a queue name would see each other's jobs there.
func uniqueQueueName(_ prefix: String = "test") -> QueueName {
    QueueName(stringLiteral: "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())")
}

extension Database {
    /// Enqueues `jobs` for `tenantID` in a transaction of their own; returns their ids.
    @discardableResult
    func enqueue(_ jobs: [NewQueueJob], tenant tenantID: UUID) async throws -> [Int64?] {
        try await withTenant(tenantID, logger: TestDatabase.logger) { try await $0.queueEnqueue(jobs) }
    }

    /// Claims for `tenantID` in a transaction of its own.
    func claim(
        _ queue: QueueName, tenant tenantID: UUID, limit: Int, lease: Duration = .seconds(30), worker: String = "test-worker"
    ) async throws -> [ClaimedQueueJob] {
        try await withTenant(tenantID, logger: TestDatabase.logger) {
            try await $0.queueClaim(queue: queue, worker: worker, limit: limit, lease: lease)
        }
    }

    /// The job as stored, pending or dead; nil once completed.
    func job(_ id: Int64, tenant tenantID: UUID) async throws -> QueueJobSnapshot? {
        try await withTenant(tenantID, logger: TestDatabase.logger) { try await $0.queueJobs(ids: [id]).first }
    }
}

/// Polls `condition` until it holds or `timeout` passes; for effects of the database clock.
func eventually(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

/// The test waited longer than it should have for something to happen.
struct TimedOut: Error {}

/// Runs `body`, giving up with ``TimedOut`` after `timeout`.
func withTimeout<T: Sendable>(_ timeout: Duration = .seconds(10), _ body: @Sendable @escaping () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TimedOut()
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}
