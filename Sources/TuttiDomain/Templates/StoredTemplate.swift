import Foundation

/// A saved template at one of its versions: what `GET /v1/templates/{id}` shows (at the current
/// version) and what `GET /v1/templates/{id}/versions/{version}` shows (at that one).
///
/// Versions are immutable: every saved change adds one, and a campaign pins the version it
/// launched with. A deleted template keeps its versions (``deletedAt`` is set).
public struct StoredTemplate: Sendable, Hashable {
    public var id: UUID
    /// 1 for the first save, one more for each change.
    public var version: Int
    /// The version's definition, as it was checked when saved.
    public var template: MessageTemplate
    /// When the template was created (its first version).
    public var createdAt: Date
    /// When this version was saved.
    public var versionCreatedAt: Date
    /// When the template was last changed (a new version) or renamed.
    public var updatedAt: Date
    /// When the template was deleted; nil while it is live.
    public var deletedAt: Date?

    public init(
        id: UUID, version: Int, template: MessageTemplate, createdAt: Date, versionCreatedAt: Date, updatedAt: Date,
        deletedAt: Date? = nil
    ) {
        self.id = id
        self.version = version
        self.template = template
        self.createdAt = createdAt
        self.versionCreatedAt = versionCreatedAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
    }
}
