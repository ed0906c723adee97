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

    public init(
        database: Database, configuration: TuttiConfiguration, transport: CurlTransport = CurlTransport(), apiKeyCache: APIKeyCache? = nil
    ) {
        self.database = database
        self.configuration = configuration
        self.transport = transport
        self.apiKeyCache = apiKeyCache
    }

    var maxBodyBytes: Int { configuration.http.maxBodyBytes }
}
