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

    public init(database: Database, configuration: TuttiConfiguration, transport: CurlTransport = CurlTransport()) {
        self.database = database
        self.configuration = configuration
        self.transport = transport
    }

    var maxBodyBytes: Int { configuration.http.maxBodyBytes }
}
