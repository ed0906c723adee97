import Curl
import Foundation
import Logging
import TuttiRuntime
import TuttiStore

/// What the API's route handlers need, built once by ``buildApplication(configuration:logger:)``.
public struct APIDependencies: Sendable {
    public let database: Database
    public let configuration: TuttiConfiguration
    /// Sends channel test messages (`POST /v1/channels/{id}/test`); proxies from the environment.
    public let transport: CurlTransport
    /// Authenticated keys remembered between requests; nil when `TUTTI_API_KEY_CACHE_SECONDS` is 0.
    public let apiKeyCache: APIKeyCache?
    /// Tenants' keys for unsubscribe and preference links, remembered (they never change).
    public let linkKeys: LinkKeyCache
    /// Each tenant's armed triggers by event name, for ingestion (docs/triggers.md).
    public let triggers: TriggerCache
    /// Real-time decisions' catalog cache and impression recorder; the recorder must run in the
    /// process's service group (``buildApplication(configuration:logger:)`` adds it).
    public var decisions: DecisionEngine

    public init(
        database: Database, configuration: TuttiConfiguration, transport: CurlTransport = CurlTransport(), apiKeyCache: APIKeyCache? = nil
    ) {
        self.database = database
        self.configuration = configuration
        self.transport = transport
        self.apiKeyCache = apiKeyCache
        self.linkKeys = LinkKeyCache(keyring: configuration.channelKeys)
        // Replaced by buildApplication with one that logs; a router built alone records nothing.
        self.decisions = DecisionEngine(database: database, logger: Logger(label: "tutti.decisions"))
        self.triggers = TriggerCache()
    }

    var maxBodyBytes: Int { configuration.http.maxBodyBytes }
}
