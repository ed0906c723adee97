import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Runs a process's services as one `ServiceGroup`: started in order (database pool first,
/// HTTP server last), stopped in reverse on SIGTERM or SIGINT, with the configured grace period
/// before whatever has not drained is cancelled.
public enum TuttiProcess {
    public static func run(services: [any Service], configuration: TuttiConfiguration, logger: Logger) async throws {
        var groupConfiguration = ServiceGroupConfiguration(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownGracePeriod
        let group = ServiceGroup(configuration: groupConfiguration)
        try await group.run()
        logger.info("stopped")
    }

    /// The configuration from the environment; on an error print it plainly and exit 1.
    /// Synchronous, so that `main.swift` can act on it before anything runs (see
    /// ``EventLoopExecutor/install(threads:)``).
    public static func configuration(label: String) -> TuttiConfiguration {
        do {
            return try TuttiConfiguration.fromEnvironment()
        } catch {
            fail(label, "configuration: \(error)")
        }
    }

    /// The conventional `main`: read configuration, set up logging, build, run; on a start-up
    /// error print it plainly and exit 1 rather than crash.
    public static func main(
        label: String,
        build: @Sendable (TuttiConfiguration, Logger) async throws -> [any Service]
    ) async {
        let configuration = configuration(label: label)
        TuttiLogging.bootstrap(configuration.log)
        let logger = TuttiLogging.logger(label: label, options: configuration.log)
        do {
            let services = try await build(configuration, logger)
            try await run(services: services, configuration: configuration, logger: logger)
        } catch {
            fail(label, "\(error)")
        }
    }

    private static func fail(_ label: String, _ message: String) -> Never {
        FileHandle.standardError.write(Data("\(label): \(message)\n".utf8))
        exit(1)
    }
}
