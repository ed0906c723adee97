import ServiceLifecycle

/// Runs `operation`, and once graceful shutdown has begun gives it `patience` more to finish
/// before cancelling it.
///
/// For a worker's database round trips on the way out: with the database up they end in
/// milliseconds, so the patience never runs out; with the database gone they wait for a
/// connection that will not come, and the process would sit out the whole grace period
/// (`TUTTI_SHUTDOWN_GRACE_SECONDS`) holding nothing it could record. Cancelling loses nothing:
/// leases the worker still holds lapse and the scheduler rescues their jobs.
func withShutdownPatience<T: Sendable>(_ patience: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws
    -> T
{
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await gracefulShutdown()
            try await Task.sleep(for: patience)
            return nil
        }
        // The operation's value, or its error once it has been cancelled.
        while let next = try await group.next() {
            if let value = next {
                group.cancelAll()
                return value
            }
            group.cancelAll()
        }
        throw CancellationError()
    }
}
