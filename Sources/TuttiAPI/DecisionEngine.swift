import Foundation
import Logging
import TuttiStore

/// The API process's real-time decision state: the per-tenant catalog of compiled offers and
/// placements, and the recorder that writes impressions after the answers.
/// ``buildApplication(configuration:logger:)`` runs ``recorder`` in the service group.
public struct DecisionEngine: Sendable {
    let catalog: DecisionCatalog
    let recorder: ImpressionRecorder

    public init(database: Database, logger: Logger) {
        catalog = DecisionCatalog(database: database)
        recorder = ImpressionRecorder(database: database, logger: logger)
    }
}
