import Foundation
import Logging
import TuttiRuntime
import TuttiStore

/// What the API's route handlers need, built once by ``buildApplication(configuration:logger:)``.
public struct APIDependencies: Sendable {
    public let database: Database
    public let configuration: TuttiConfiguration

    public init(database: Database, configuration: TuttiConfiguration) {
        self.database = database
        self.configuration = configuration
    }

    var maxBodyBytes: Int { configuration.http.maxBodyBytes }
}
