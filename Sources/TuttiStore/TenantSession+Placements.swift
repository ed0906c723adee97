import Foundation
import PostgresNIO
import TuttiDomain

/// Why a placement cannot be saved.
public enum PlacementWriteError: Error, Sendable, Equatable {
    /// Another live placement of the tenant has this name (names compare case-insensitively).
    case nameTaken(String)
}

extension TenantSession {
    private static let placementColumns =
        "id, name, channel, offer_ids, max_offers, fallback_offer_id, created_at, updated_at"

    /// Saves a new placement.
    public func placementInsert(_ definition: PlacementDefinition) async throws -> Placement {
        let d = definition
        do {
            let rows = try await query(
                """
                INSERT INTO placements (tenant_id, id, name, channel, offer_ids, max_offers, fallback_offer_id)
                VALUES (\(tenantID), \(UUID.v7()), \(d.name), \(d.channel.rawValue), \(d.offerIDs)::uuid[], \(Int32(d.limit)),
                        \(d.fallbackOfferID))
                RETURNING \(unescaped: Self.placementColumns)
                """)
            guard let placement = try await Self.placements(rows).first else { throw StoreError.unavailable }
            return placement
        } catch let error as PSQLError where StoreError(error).isConflict {
            throw PlacementWriteError.nameTaken(d.name)
        }
    }

    /// One live placement by id, or nil.
    public func placementGet(id: UUID) async throws -> Placement? {
        try await Self.placements(
            query(
                """
                SELECT \(unescaped: Self.placementColumns) FROM placements
                WHERE tenant_id = \(tenantID) AND id = \(id) AND deleted_at IS NULL
                """)
        ).first
    }

    /// A page of the tenant's live placements, oldest first.
    public func placementList(page: PageRequest) async throws -> Page<Placement> {
        let after = page.after ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        let placements = try await Self.placements(
            query(
                """
                SELECT \(unescaped: Self.placementColumns) FROM placements
                WHERE tenant_id = \(tenantID) AND deleted_at IS NULL AND id > \(after) ORDER BY id LIMIT \(page.limit + 1)
                """))
        return Page(fetched: placements, request: page, id: \.id)
    }

    /// Every live placement of the tenant (what the decision path caches), at most `limit`.
    public func placementsLive(limit: Int = 1000) async throws -> [Placement] {
        try await Self.placements(
            query(
                """
                SELECT \(unescaped: Self.placementColumns) FROM placements
                WHERE tenant_id = \(tenantID) AND deleted_at IS NULL ORDER BY id LIMIT \(limit)
                """))
    }

    /// Replaces a live placement's definition; nil when there is no such placement.
    public func placementUpdate(id: UUID, _ definition: PlacementDefinition) async throws -> Placement? {
        let d = definition
        do {
            return try await Self.placements(
                query(
                    """
                    UPDATE placements SET name = \(d.name), channel = \(d.channel.rawValue), offer_ids = \(d.offerIDs)::uuid[],
                        max_offers = \(Int32(d.limit)), fallback_offer_id = \(d.fallbackOfferID), updated_at = now()
                    WHERE tenant_id = \(tenantID) AND id = \(id) AND deleted_at IS NULL
                    RETURNING \(unescaped: Self.placementColumns)
                    """)
            ).first
        } catch let error as PSQLError where StoreError(error).isConflict {
            throw PlacementWriteError.nameTaken(d.name)
        }
    }

    /// Deletes a live placement (its decisions stay); false when there is none.
    public func placementDelete(id: UUID) async throws -> Bool {
        let rows = try await query(
            """
            UPDATE placements SET deleted_at = now(), updated_at = now()
            WHERE tenant_id = \(tenantID) AND id = \(id) AND deleted_at IS NULL RETURNING id
            """)
        for try await _ in rows { return true }
        return false
    }

    private static func placements(_ rows: PostgresRowSequence) async throws -> [Placement] {
        var placements: [Placement] = []
        for try await (id, name, channel, offerIDs, limit, fallback, createdAt, updatedAt) in rows.decode(
            (UUID, String, String, [UUID]?, Int32, UUID?, Date, Date).self)
        {
            let definition = PlacementDefinition(
                name: name, channel: OfferChannel(rawValue: channel) ?? .web, offerIDs: offerIDs, limit: Int(limit),
                fallbackOfferID: fallback)
            placements.append(Placement(id: id, definition: definition, createdAt: createdAt, updatedAt: updatedAt))
        }
        return placements
    }
}
