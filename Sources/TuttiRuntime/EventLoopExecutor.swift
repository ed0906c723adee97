import NIOCore
import NIOPosix

/// Makes SwiftNIO's event loops Swift Concurrency's global executor, with a chosen number of
/// threads, so that an `async` request handler runs on the thread where its socket's I/O
/// completes.
///
/// Without it every `await` on the database or the client's socket hops between an event loop
/// thread and Swift's own pool, two thread wake-ups each way. On two cores shared with
/// PostgreSQL those hops, not the work, set the API's latency: `ops/bench-lookup 20 4` measured
/// 400 µs of API CPU per lookup with hops and two loops, 270 µs on one loop (docs/performance/customers.md).
public enum EventLoopExecutor {
    /// Sizes the shared event loop group to `threads` and installs it as the global executor.
    /// Call it once, from `main.swift`, before anything uses SwiftNIO or Swift Concurrency.
    /// Work that blocks a thread must not run on the global executor afterwards; nothing in
    /// the API does (libcurl's transfers have threads of their own).
    public static func install(threads: Int) {
        NIOSingletons.groupLoopCountSuggestion = threads
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
