import Foundation
import PostgresNIO
import Testing
import TuttiRuntime
import TuttiStore
import TuttiTestSupport

/// A worker whose database has gone away holds nothing it could record, so SIGTERM must not
/// make it wait out the whole grace period for a connection that will not come.
@Suite("Worker shutdown", .serialized)
struct WorkerShutdownTests {
    @Test func workerWhoseDatabaseIsGoneExitsSoonAfterSIGTERMNotAtTheEndOfTheGracePeriod() async throws {
        let configuration = try await TuttiConfiguration.forTesting()
        let port = try freePorts(1)[0]
        var environment = configuration.environmentVariables()
        environment["TUTTI_WORKER_PORT"] = "\(port)"
        let own = try await TestDatabase.createEmptyDatabase()
        try await TestDatabase.migrate(owner: own.owner, appRole: TestDatabase.appRole)
        environment["TUTTI_DATABASE_URL"] = own.app.connectionString
        let worker = try SpawnedProcess("tutti-worker", environment: environment)
        defer { worker.terminate() }
        let ready = await waitUntilReady("http://127.0.0.1:\(port)/health/ready")
        try #require(ready, "the worker never became ready:\n\(worker.text)")

        // The database goes away for this worker: no new connections, and its own are ended.
        let name = own.app.database
        try await TestDatabase.withConnection(TestDatabase.adminURL()) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "ALTER DATABASE \(name) ALLOW_CONNECTIONS false"), logger: TestDatabase.logger)
            try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)'"),
                logger: TestDatabase.logger)
        }
        // Long enough for the lanes' next polls to be waiting for a connection.
        try await Task.sleep(for: .seconds(2))

        let signalled = ContinuousClock.now
        worker.terminate()
        let status = await worker.waitForExit(timeout: configuration.shutdownGracePeriod + .seconds(5))
        let took = ContinuousClock.now - signalled
        #expect(status == 0, "exit status \(String(describing: status)):\n\(worker.text)")
        #expect(took < .seconds(3), "the worker took \(took) to exit (grace period \(configuration.shutdownGracePeriod)):\n\(worker.text)")
    }
}
