import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TuttiStore

/// Records what decisions showed, off the answer's path: a decision appends its
/// ``DecisionRecord`` to an in-process buffer and answers; this service writes the buffer every
/// ``interval`` (or as soon as it holds ``batchSize`` records), one transaction per tenant of
/// set-based statements (``TenantSession/decisionsRecord(_:)``).
///
/// What can be lost: the buffer lives in this process. On graceful shutdown (SIGTERM) the
/// service stops after the HTTP server has stopped taking requests and writes what is left
/// before it returns; a crash (`kill -9`) loses at most the last ``interval`` of impressions.
/// A write that fails is retried with the next flush while the buffer stays under
/// ``capacity``; beyond that, decisions are still answered but their impressions are dropped
/// and logged (counts, never customer data).
final class ImpressionRecorder: Service, Sendable {
    static let interval: Duration = .milliseconds(100)
    static let tick: Duration = .milliseconds(10)
    static let batchSize = 500
    static let capacity = 100_000

    private struct State {
        var records: [(tenantID: UUID, record: DecisionRecord)] = []
        var dropped = 0
    }

    private let state = Mutex(State())
    private let database: Database
    private let logger: Logger
    /// Serializes flushes: the timer's and a response's that needs its decision written.
    private let flushing = FlushGate()

    init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// Queues a decision's record (dropped, and counted, when the buffer is full).
    func append(_ record: DecisionRecord, tenantID: UUID) {
        state.withLock { state in
            guard state.records.count < Self.capacity else {
                state.dropped += 1
                return
            }
            state.records.append((tenantID, record))
        }
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await sleepOrWake()
            await flush()
        }
        // Graceful shutdown: the server has stopped answering; write what it answered.
        await flush()
    }

    /// Writes everything buffered now (and returns when it is written or failed).
    func flush() async {
        await flushing.run { await self.writeBuffered() }
    }

    /// Returns after ``interval``, or sooner once a batch is full. It looks every
    /// ``tick`` rather than being woken: a hundred cheap looks a second cost less than a
    /// continuation handed between the request path and this loop.
    private func sleepOrWake() async {
        let deadline = ContinuousClock.now.advanced(by: Self.interval)
        while ContinuousClock.now < deadline, !Task.isShuttingDownGracefully, !Task.isCancelled {
            try? await Task.sleep(for: Self.tick)
            if state.withLock({ $0.records.count >= Self.batchSize }) { return }
        }
    }

    private func writeBuffered() async {
        let (taken, dropped) = state.withLock { state in
            defer {
                state.records.removeAll(keepingCapacity: true)
                state.dropped = 0
            }
            return (state.records, state.dropped)
        }
        if dropped > 0 {
            logger.warning("impressions dropped: the buffer was full", metadata: ["decisions.dropped": "\(dropped)"])
        }
        guard !taken.isEmpty else { return }
        var byTenant: [UUID: [DecisionRecord]] = [:]
        for entry in taken { byTenant[entry.tenantID, default: []].append(entry.record) }
        for (tenantID, records) in byTenant {
            do {
                try await database.withTenant(tenantID, logger: logger) { try await $0.decisionsRecord(records) }
            } catch {
                let kept = state.withLock { state -> Bool in
                    guard state.records.count + records.count <= Self.capacity else { return false }
                    state.records.append(contentsOf: records.map { (tenantID, $0) })
                    return true
                }
                logger.error(
                    "recording impressions failed",
                    metadata: [
                        "tenant.id": "\(tenantID.uuidString.lowercased())", "decisions.count": "\(records.count)",
                        "decisions.retried": "\(kept)", "error": "\(String(reflecting: error))",
                    ])
            }
        }
    }
}

/// Runs one flush at a time; a caller that arrives during one waits for it and then runs its own.
private actor FlushGate {
    private var running: Task<Void, Never>?

    func run(_ body: @escaping @Sendable () async -> Void) async {
        while let running { await running.value; if self.running == running { self.running = nil } }
        let task = Task { await body() }
        running = task
        await task.value
        if running == task { running = nil }
    }
}
