import Foundation

/// A customer of Tutti: one marketing organisation whose data is kept apart from every other's.
public struct Tenant: Sendable, Equatable, Codable {
    /// Stable identifier; every tenant-owned row carries it as the first key column.
    public var id: UUID
    /// Display name chosen by the operator or the tenant's administrators.
    public var name: String
    /// When the tenant was created, by the database's clock.
    public var createdAt: Date
    /// ISO 3166 alpha-2 country in which national phone numbers are read (`+` numbers need none).
    public var defaultCountry: String?
    /// An SMS rendered longer than this many segments comes with a warning (1–255; 3 unless set).
    public var smsSegmentLimit: Int

    public init(id: UUID, name: String, createdAt: Date, defaultCountry: String? = nil, smsSegmentLimit: Int = 3) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.defaultCountry = defaultCountry
        self.smsSegmentLimit = smsSegmentLimit
    }
}
