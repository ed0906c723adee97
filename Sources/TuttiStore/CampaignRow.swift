import Foundation
import PostgresNIO
import TuttiDomain

/// The columns a ``Campaign`` is read from, and how.
enum CampaignRow {
    static let columns = """
        c.id, c.definition::text, c.state, c.template_version, c.segment_id, c.segment_version, c.launched_at,
        c.next_occurrence_at, c.created_at, c.updated_at
        """

    static func campaign(_ row: PostgresRow) throws -> Campaign {
        let cells = row.makeRandomAccess()
        let text = try cells[1].decode(String.self)
        guard let json = JSONValue.parse(text), let definition = try? CampaignDefinition(json: json),
            let state = CampaignState(rawValue: try cells[2].decode(String.self))
        else { throw CampaignStoreError.unreadable(try cells[0].decode(UUID.self)) }
        return Campaign(
            id: try cells[0].decode(UUID.self), definition: definition, state: state,
            templateVersion: try cells[3].decode(Int32?.self).map { Int($0) }, segmentID: try cells[4].decode(UUID?.self),
            segmentVersion: try cells[5].decode(Int32?.self).map { Int($0) }, launchedAt: try cells[6].decode(Date?.self),
            nextOccurrenceAt: try cells[7].decode(Date?.self), createdAt: try cells[8].decode(Date.self),
            updatedAt: try cells[9].decode(Date.self))
    }
}

/// A stored campaign the store cannot read back: a fault in what wrote it, never the client's.
public enum CampaignStoreError: Error, Sendable, Equatable {
    /// The row's definition or state does not parse.
    case unreadable(UUID)
}
