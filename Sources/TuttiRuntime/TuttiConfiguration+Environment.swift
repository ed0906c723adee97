import Foundation
import Logging
import TuttiStore

extension TuttiConfiguration {
    /// Reads the configuration from `environment` (the process environment by default),
    /// refusing any value that cannot be used with an error naming the variable.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) -> TuttiConfiguration {
        let reader = EnvironmentReader(environment: environment)
        let database = DatabaseOptions(
            url: try DatabaseURL(
                reader.string("TUTTI_DATABASE_URL", default: "postgres://tutti_app:tutti_app@127.0.0.1:5432/tutti"),
                variable: "TUTTI_DATABASE_URL"),
            migrationURL: try DatabaseURL(
                reader.string("TUTTI_MIGRATION_DATABASE_URL", default: "postgres://tutti_owner:tutti_owner@127.0.0.1:5432/tutti"),
                variable: "TUTTI_MIGRATION_DATABASE_URL"),
            poolSize: try reader.integer("TUTTI_DATABASE_POOL_SIZE", default: 20, in: 1...500),
            poolMinimum: try reader.integer("TUTTI_DATABASE_POOL_MIN", default: 4, in: 0...500),
            sqlDirectory: environment["TUTTI_SQL_DIR"])
        let http = HTTPOptions(
            host: reader.string("TUTTI_HOST", default: "127.0.0.1"),
            apiPort: try reader.integer("TUTTI_API_PORT", default: 8080, in: 0...65535),
            schedulerPort: try reader.integer("TUTTI_SCHEDULER_PORT", default: 8081, in: 0...65535),
            workerPort: try reader.integer("TUTTI_WORKER_PORT", default: 8082, in: 0...65535),
            maxBodyBytes: try reader.integer("TUTTI_MAX_BODY_BYTES", default: 1 << 20, in: 1024...(1 << 30)),
            maxImportBytes: try reader.integer("TUTTI_MAX_IMPORT_BYTES", default: 10 << 30, in: 1024...(1 << 40)),
            apiThreads: try reader.integer("TUTTI_API_THREADS", default: 1, in: 1...256))
        let levelText = reader.string("TUTTI_LOG_LEVEL", default: "info")
        guard let level = Logger.Level(rawValue: levelText) else {
            throw ConfigurationError(
                variable: "TUTTI_LOG_LEVEL", message: "must be one of trace, debug, info, notice, warning, error, critical")
        }
        guard let format = LogOptions.Format(rawValue: reader.string("TUTTI_LOG_FORMAT", default: "text")) else {
            throw ConfigurationError(variable: "TUTTI_LOG_FORMAT", message: "must be text or json")
        }
        var configuration = TuttiConfiguration(
            database: database,
            http: http,
            log: LogOptions(level: level, format: format),
            operatorToken: reader.string("TUTTI_OPERATOR_TOKEN", default: ""),
            shutdownGracePeriod: .seconds(try reader.integer("TUTTI_SHUTDOWN_GRACE_SECONDS", default: 10, in: 1...3600)))
        configuration.valueRecomputeInterval = .seconds(
            try reader.integer("TUTTI_VALUE_RECOMPUTE_SECONDS", default: 3600, in: 10...(7 * 86400)))
        configuration.importStaleAfter = .seconds(try reader.integer("TUTTI_IMPORT_STALE_SECONDS", default: 60, in: 30...86400))
        configuration.campaignChunkSize = try reader.integer("TUTTI_CAMPAIGN_CHUNK", default: 5_000, in: 1...100_000)
        configuration.eventDedupWindow = .seconds(
            86400 * (try reader.integer("TUTTI_EVENT_DEDUP_DAYS", default: 7, in: 1...3650)))
        configuration.apiKeyCacheTTL = .seconds(try reader.integer("TUTTI_API_KEY_CACHE_SECONDS", default: 10, in: 0...60))
        configuration.delivery = try DeliveryOptions(reader)
        if let publicURL = environment["TUTTI_PUBLIC_URL"], !publicURL.isEmpty {
            guard let url = URL(string: publicURL), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
                url.host != nil, url.query == nil, url.fragment == nil
            else {
                throw ConfigurationError(variable: "TUTTI_PUBLIC_URL", message: "must be an http or https URL without query")
            }
            configuration.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        }
        configuration.sns = try SNSOptions(environment)
        if let keys = environment["TUTTI_CHANNEL_KEYS"], !keys.isEmpty {
            configuration.channelKeys = try ChannelKeyring(parsing: keys)
        }
        return configuration
    }
}

extension DeliveryOptions {
    /// The options from `TUTTI_WORKER_*` variables; unset ones keep their defaults.
    init(_ reader: EnvironmentReader) throws(ConfigurationError) {
        let defaults = DeliveryOptions()
        self.init(
            batchSize: try reader.integer("TUTTI_WORKER_BATCH", default: defaults.batchSize, in: 1...5000),
            inFlightPerChannel: try reader.integer("TUTTI_WORKER_IN_FLIGHT", default: defaults.inFlightPerChannel, in: 1...1024),
            lanes: try reader.integer("TUTTI_WORKER_LANES", default: defaults.lanes, in: 1...16),
            lease: .seconds(try reader.integer("TUTTI_WORKER_LEASE_SECONDS", default: 20, in: 3...25)),
            pollInterval: .milliseconds(try reader.integer("TUTTI_WORKER_POLL_MS", default: 1000, in: 10...60000)),
            circuitThreshold: try reader.integer(
                "TUTTI_WORKER_CIRCUIT_THRESHOLD", default: defaults.circuitThreshold, in: 1...10000),
            circuitCooldown: .seconds(try reader.integer("TUTTI_WORKER_CIRCUIT_COOLDOWN_SECONDS", default: 30, in: 1...86400)))
    }
}

/// Typed reads of environment variables with defaults.
struct EnvironmentReader {
    var environment: [String: String]

    func string(_ name: String, default fallback: String) -> String {
        guard let value = environment[name], !value.isEmpty else { return fallback }
        return value
    }

    func integer(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let text = environment[name], !text.isEmpty else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError(
                variable: name, message: "must be a whole number from \(range.lowerBound) to \(range.upperBound), not \(text)")
        }
        return value
    }
}
