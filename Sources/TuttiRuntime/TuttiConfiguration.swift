import Foundation
import Logging
import TuttiStore

/// Every setting of every Tutti process, read once at start-up from the environment.
///
/// Nothing deeper in the code reads the environment: processes receive this value, and tests
/// build one directly. Each field's default is in its doc comment and in the README's table.
public struct TuttiConfiguration: Sendable {
    /// Where and how to reach PostgreSQL.
    public struct DatabaseOptions: Sendable {
        /// `TUTTI_DATABASE_URL`, the application role (not the owner, no BYPASSRLS).
        /// Default `postgres://tutti_app:tutti_app@127.0.0.1:5432/tutti`.
        public var url: DatabaseURL
        /// `TUTTI_MIGRATION_DATABASE_URL`, the role that owns the schema; used by `tutti migrate`.
        /// Default `postgres://tutti_owner:tutti_owner@127.0.0.1:5432/tutti`.
        public var migrationURL: DatabaseURL
        /// `TUTTI_DATABASE_POOL_SIZE`, connections per process. Default 20.
        public var poolSize: Int
        /// `TUTTI_DATABASE_POOL_MIN`, connections the pool keeps open even when idle (at most
        /// `poolSize`). Default 4 from the environment; 0 when built in code (tests).
        public var poolMinimum: Int
        /// `TUTTI_SQL_DIR`, the folder of numbered migrations. Default: `./sql`, else the
        /// `sql/` folder found beside the executable.
        public var sqlDirectory: String?

        public init(
            url: DatabaseURL, migrationURL: DatabaseURL, poolSize: Int = 20, poolMinimum: Int = 0, sqlDirectory: String? = nil
        ) {
            self.url = url
            self.migrationURL = migrationURL
            self.poolSize = poolSize
            self.poolMinimum = poolMinimum
            self.sqlDirectory = sqlDirectory
        }
    }

    /// The HTTP listeners.
    public struct HTTPOptions: Sendable {
        /// `TUTTI_HOST`, the address every process binds. Default `127.0.0.1`.
        public var host: String
        /// `TUTTI_API_PORT`. Default 8080.
        public var apiPort: Int
        /// `TUTTI_SCHEDULER_PORT`, health and metrics of the scheduler. Default 8081.
        public var schedulerPort: Int
        /// `TUTTI_WORKER_PORT`, health and metrics of the worker. Default 8082.
        public var workerPort: Int
        /// `TUTTI_MAX_BODY_BYTES`, the largest request body accepted. Default 1048576 (1 MiB).
        public var maxBodyBytes: Int
        /// `TUTTI_MAX_IMPORT_BYTES`, the largest body of `POST /v1/imports`, which is streamed
        /// rather than held. Default 10737418240 (10 GiB).
        public var maxImportBytes: Int
        /// `TUTTI_API_THREADS`, the event loop threads of `tutti-api`, which also run its
        /// request handlers (see ``EventLoopExecutor``). Default 1.
        public var apiThreads: Int

        public init(
            host: String = "127.0.0.1", apiPort: Int = 8080, schedulerPort: Int = 8081, workerPort: Int = 8082,
            maxBodyBytes: Int = 1 << 20,
            maxImportBytes: Int = 10 << 30, apiThreads: Int = 1
        ) {
            self.host = host
            self.apiPort = apiPort
            self.schedulerPort = schedulerPort
            self.workerPort = workerPort
            self.maxBodyBytes = maxBodyBytes
            self.maxImportBytes = maxImportBytes
            self.apiThreads = apiThreads
        }
    }

    /// Logging.
    public struct LogOptions: Sendable {
        public enum Format: String, Sendable { case text, json }
        /// `TUTTI_LOG_LEVEL`: trace, debug, info, notice, warning, error, critical. Default info.
        public var level: Logger.Level
        /// `TUTTI_LOG_FORMAT`: text or json (one object per line). Default text.
        public var format: Format

        public init(level: Logger.Level = .info, format: Format = .text) {
            self.level = level
            self.format = format
        }
    }

    public var database: DatabaseOptions
    public var http: HTTPOptions
    public var log: LogOptions
    /// `TUTTI_OPERATOR_TOKEN`, which may create tenants. Default empty: operator routes refuse
    /// every request.
    public var operatorToken: String
    /// `TUTTI_SHUTDOWN_GRACE_SECONDS`, how long a process drains on SIGTERM before it cancels
    /// what is left. Default 10.
    public var shutdownGracePeriod: Duration
    /// `TUTTI_VALUE_RECOMPUTE_SECONDS`, how often the scheduler recomputes every tenant's
    /// customer value metric in full (RFM quintiles, the fitted model, predictions).
    /// Default 3600.
    public var valueRecomputeInterval: Duration = .seconds(3600)
    /// `TUTTI_IMPORT_STALE_SECONDS`, how long a running import may go without a heartbeat
    /// before the scheduler marks it failed (its API process stopped). The API beats every
    /// 10 s while it runs an import. Default 60 (30 to 86400).
    public var importStaleAfter: Duration = .seconds(60)
    /// `TUTTI_CAMPAIGN_CHUNK`, how many customers of a campaign's audience the scheduler writes
    /// per transaction (docs/campaigns.md, "How the audience is built"). Default 5000
    /// (1 to 100000).
    public var campaignChunkSize = 5_000
    /// `TUTTI_EVENT_DEDUP_DAYS`, how long an ingested `messageId` is remembered: a replay
    /// within the window is stored once, after it again. Default 7 (1 to 3650).
    public var eventDedupWindow: Duration = .seconds(7 * 86400)
    /// `TUTTI_CHANNEL_KEYS`, the AES-256-GCM keys that seal channel credentials at rest:
    /// `id:base64key,…` (32-byte keys; the first seals, all open; see docs/channels.md for
    /// rotation). Default: the built-in development key, whose bytes are public — every
    /// process logs a warning at start-up while it is in use. Set it in production.
    public var channelKeys: ChannelKeyring = .development
    /// `TUTTI_API_KEY_CACHE_SECONDS`, how long the API serves an authenticated key from memory
    /// without asking the database again (0 to 60; 0 turns the cache off). Revocations evict at
    /// once through LISTEN/NOTIFY; this is the bound if a notification is lost. Default 10.
    public var apiKeyCacheTTL: Duration = .seconds(10)
    /// How the worker claims and sends deliveries (`TUTTI_WORKER_*`).
    public var delivery = DeliveryOptions()
    /// `TUTTI_PUBLIC_URL`, the base URL the outside world reaches the API at (gateway
    /// callbacks, tracking and unsubscribe links), without a trailing slash. Default (nil):
    /// the API's own URL, `http://TUTTI_HOST:TUTTI_API_PORT`, so a local stack works as it is.
    public var publicURL: String?
    /// Where SNS signing certificates may come from (`TUTTI_SNS_CERT_HOSTS`, `TUTTI_SNS_CA_FILE`).
    public var sns = SNSOptions()

    /// ``publicURL``, or the API's own URL when it is not set.
    public var publicBaseURL: String {
        publicURL ?? "http://\(http.host):\(http.apiPort)"
    }

    public init(
        database: DatabaseOptions, http: HTTPOptions, log: LogOptions, operatorToken: String,
        shutdownGracePeriod: Duration
    ) {
        self.database = database
        self.http = http
        self.log = log
        self.operatorToken = operatorToken
        self.shutdownGracePeriod = shutdownGracePeriod
    }
}
