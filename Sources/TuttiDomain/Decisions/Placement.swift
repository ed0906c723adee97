import Foundation

/// A place on a channel where real-time decisions show offers (`home_hero` on `web`): which
/// offers may appear there, how many at most, and the offer shown when no other is eligible.
/// A decision names its placement by ``PlacementDefinition/name``.
public struct Placement: Sendable, Hashable {
    public var id: UUID
    public var definition: PlacementDefinition
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: UUID, definition: PlacementDefinition, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.definition = definition
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A placement as its author writes it: what `POST /v1/placements` takes.
public struct PlacementDefinition: Sendable, Hashable {
    /// Unique per tenant among live placements, compared without case: `home_hero`.
    public var name: String
    /// The channel whose creative the placement shows.
    public var channel: OfferChannel
    /// The offers that may be shown here; nil means every live offer.
    public var offerIDs: [UUID]?
    /// How many offers a decision shows at most (1–100).
    public var limit: Int
    /// Shown when arbitration chooses nothing (see docs/decisions.md for what it still obeys).
    public var fallbackOfferID: UUID?

    public init(name: String, channel: OfferChannel, offerIDs: [UUID]? = nil, limit: Int = 1, fallbackOfferID: UUID? = nil) {
        self.name = name
        self.channel = channel
        self.offerIDs = offerIDs
        self.limit = limit
        self.fallbackOfferID = fallbackOfferID
    }

    /// Every offer the placement names: its list and its fallback.
    public var referencedOfferIDs: [UUID] {
        var ids = offerIDs ?? []
        if let fallbackOfferID, !ids.contains(fallbackOfferID) { ids.append(fallbackOfferID) }
        return ids
    }
}
