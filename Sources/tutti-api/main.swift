import TuttiAPI
import TuttiRuntime

// Before anything else runs: the event loops become Swift Concurrency's executor, sized by
// TUTTI_API_THREADS. (The configuration is read again by main; a top-level `let` used across
// the `await` below crashed the debug build.)
EventLoopExecutor.install(threads: TuttiProcess.configuration(label: "tutti-api").http.apiThreads)

await TuttiProcess.main(label: "tutti-api") { configuration, logger in
    [try await buildApplication(configuration: configuration, logger: logger)]
}
