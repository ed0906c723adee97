import Foundation

/// A customer of Tutti: one marketing organisation whose data is kept apart from every other's.
public struct Tenant: Sendable, Equatable, Codable {
    /// Stable identifier; every tenant-owned row carries it as the first key column.
    public var id: UUID
    /// Display name chosen by the operator or the tenant's administrators.
    public var name: String
    /// When the tenant was created, by the database's clock.
    public var createdAt: Date

    public init(id: UUID, name: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
    }
}
