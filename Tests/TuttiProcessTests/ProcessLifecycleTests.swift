import Foundation
import Testing
import TuttiRuntime
import TuttiStore
import TuttiTestSupport

/// The real executables: they become ready, and on SIGTERM they drain and exit 0 within the
/// grace period; on a database with pending migrations they refuse to start and say why.
@Suite("Process lifecycle", .serialized)
struct ProcessLifecycleTests {
    static let executables: [(name: String, portVariable: String)] = [
        ("tutti-api", "TUTTI_API_PORT"), ("tutti-scheduler", "TUTTI_SCHEDULER_PORT"), ("tutti-worker", "TUTTI_WORKER_PORT"),
    ]

    @Test(arguments: executables.map(\.name))
    func processBecomesReadyAndExitsCleanlyOnSIGTERM(_ name: String) async throws {
        // With the API key cache as in production: its LISTEN must drain with the rest.
        let configuration = try await TuttiConfiguration.forTesting(apiKeyCacheTTL: .seconds(10))
        var environment = configuration.environmentVariables()
        // A database of its own: a worker on the shared test database would claim the
        // deliveries other tests are watching, and be stopped before it records them.
        let own = try await TestDatabase.createEmptyDatabase()
        try await TestDatabase.migrate(owner: own.owner, appRole: TestDatabase.appRole)
        environment["TUTTI_DATABASE_URL"] = own.app.connectionString
        // A free port can be taken by another test's process between our look and its bind
        // (seen once: "Address already in use"); only that failure is tried again, on another port.
        var port = 0
        var process: SpawnedProcess
        var ready = false
        var attempt = 0
        repeat {
            attempt += 1
            port = try freePorts(1)[0]
            environment[Self.executables.first { $0.name == name }!.portVariable] = "\(port)"
            process = try SpawnedProcess(name, environment: environment)
            ready = await waitUntilReady("http://127.0.0.1:\(port)/health/ready")
            if !ready, process.text.contains("Address already in use"), attempt < 3 {
                process.terminate()
                _ = await process.waitForExit(timeout: .seconds(5))
                continue
            }
            break
        } while true
        try #require(ready, "\(name) never became ready:\n\(process.text)")
        #expect(await httpStatus("http://127.0.0.1:\(port)/metrics") == 200)
        #expect(await httpStatus("http://127.0.0.1:\(port)/no-such-route") == 404)

        let signalled = ContinuousClock.now
        process.terminate()
        let status = await process.waitForExit(timeout: configuration.shutdownGracePeriod + .seconds(2))
        #expect(status == 0, "\(name) exit status \(String(describing: status)):\n\(process.text)")
        #expect(ContinuousClock.now - signalled < configuration.shutdownGracePeriod + .seconds(2))
    }

    @Test(arguments: executables.map(\.name))
    func processRefusesToStartWhileMigrationsArePending(_ name: String) async throws {
        let configuration = try await TuttiConfiguration.forTesting()
        let empty = try await TestDatabase.createEmptyDatabase()
        var environment = configuration.environmentVariables()
        environment["TUTTI_DATABASE_URL"] = empty.owner.connectionString
        environment[Self.executables.first { $0.name == name }!.portVariable] = "\(try freePorts(1)[0])"
        let process = try SpawnedProcess(name, environment: environment)
        let status = await process.waitForExit(timeout: .seconds(20))
        #expect(status == 1, "\(name) should refuse to start:\n\(process.text)")
        #expect(process.text.contains("tutti migrate"), "the refusal should name the command to run:\n\(process.text)")
    }

    @Test func badConfigurationIsAClearErrorNotACrash() async throws {
        let process = try SpawnedProcess("tutti-api", environment: ["TUTTI_API_PORT": "not-a-port"])
        let status = await process.waitForExit(timeout: .seconds(10))
        #expect(status == 1)
        #expect(process.text.contains("TUTTI_API_PORT"))
    }
}
