import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

/// Templates and their immutable versions (sql/0045_templates.sql). A template is live until
/// deleted; its versions stay readable after that, because campaigns pin them.
///
/// The worker loads a pinned version with `templateVersion(id:version:)` (one row by its
/// primary key) and compiles it once per (tenant, template, version).
extension TenantSession {
    static let templateColumns = """
        t.id, v.version, v.definition::text, t.created_at, v.created_at, t.updated_at, t.deleted_at
        """

    typealias TemplateRow = (UUID, Int, String, Date, Date, Date, Date?)

    static func storedTemplate(_ row: TemplateRow) throws -> StoredTemplate {
        StoredTemplate(
            id: row.0, version: row.1, template: try JSONDecoder().decode(MessageTemplate.self, from: Data(row.2.utf8)),
            createdAt: row.3, versionCreatedAt: row.4, updatedAt: row.5, deletedAt: row.6)
    }

    static func definitionJSON(_ template: MessageTemplate) throws -> String {
        String(decoding: try JSONEncoder().encode(template), as: UTF8.self)
    }

    /// Saves a new template at version 1.
    public func templateInsert(_ template: MessageTemplate) async throws -> StoredTemplate {
        let id = UUID.v7()
        try await execute("INSERT INTO templates (tenant_id, id, name) VALUES (\(tenantID), \(id), \(template.name))")
        try await templateVersionInsert(id: id, version: 1, template)
        guard let saved = try await templateGet(id: id) else { throw StoreError.unavailable }
        return saved
    }

    private func templateVersionInsert(id: UUID, version: Int, _ template: MessageTemplate) async throws {
        try await execute(
            """
            INSERT INTO template_versions (tenant_id, template_id, version, definition)
            VALUES (\(tenantID), \(id), \(Int32(clamping: version)), \(try Self.definitionJSON(template))::jsonb)
            """)
    }

    /// A live template at its current version, or nil.
    public func templateGet(id: UUID) async throws -> StoredTemplate? {
        let rows = try await query(
            """
            SELECT \(unescaped: Self.templateColumns) FROM templates t
            JOIN template_versions v ON v.tenant_id = t.tenant_id AND v.template_id = t.id AND v.version = t.current_version
            WHERE t.tenant_id = \(tenantID) AND t.id = \(id) AND t.deleted_at IS NULL
            """)
        if let row = try await rows.decode(TemplateRow.self).firstRow() { return try Self.storedTemplate(row) }
        return nil
    }

    /// A page of the tenant's live templates at their current versions, oldest first.
    public func templateList(page: PageRequest) async throws -> Page<StoredTemplate> {
        let after = page.after ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        let rows = try await query(
            """
            SELECT \(unescaped: Self.templateColumns) FROM templates t
            JOIN template_versions v ON v.tenant_id = t.tenant_id AND v.template_id = t.id AND v.version = t.current_version
            WHERE t.tenant_id = \(tenantID) AND t.deleted_at IS NULL AND t.id > \(after)
            ORDER BY t.id LIMIT \(page.limit + 1)
            """)
        var templates: [StoredTemplate] = []
        for try await row in rows.decode(TemplateRow.self) { templates.append(try Self.storedTemplate(row)) }
        return Page(fetched: templates, request: page, id: \.id)
    }

    /// Replaces a live template's definition: a new version when it differs from the current
    /// one (as JSON values: key order and spacing do not count), the same version otherwise.
    /// Nil when there is no such live template. Concurrent updates are serialized by the
    /// template's row lock, so versions never clash.
    public func templateUpdate(id: UUID, _ template: MessageTemplate) async throws -> StoredTemplate? {
        let locked = try await query(
            """
            SELECT current_version FROM templates
            WHERE tenant_id = \(tenantID) AND id = \(id) AND deleted_at IS NULL FOR UPDATE
            """)
        guard let current = try await locked.decode(Int.self).firstRow() else { return nil }
        let definition = try Self.definitionJSON(template)
        let compared = try await query(
            """
            SELECT definition = \(definition)::jsonb FROM template_versions
            WHERE tenant_id = \(tenantID) AND template_id = \(id) AND version = \(Int32(clamping: current))
            """)
        let unchanged = try await compared.decode(Bool.self).firstRow() ?? false
        if !unchanged {
            try await templateVersionInsert(id: id, version: current + 1, template)
            try await execute(
                """
                UPDATE templates SET name = \(template.name), current_version = \(Int32(clamping: current + 1)), updated_at = now()
                WHERE tenant_id = \(tenantID) AND id = \(id)
                """)
        }
        return try await templateGet(id: id)
    }

    /// Deletes a live template: it leaves the list and can no longer be changed or previewed,
    /// but every version stays loadable for the campaigns that pinned it. False when there is
    /// no such live template.
    public func templateDelete(id: UUID) async throws -> Bool {
        let rows = try await query(
            """
            UPDATE templates SET deleted_at = now(), updated_at = now()
            WHERE tenant_id = \(tenantID) AND id = \(id) AND deleted_at IS NULL RETURNING id
            """)
        return try await rows.decode(UUID.self).firstRow() != nil
    }

    /// One version of a template, live or deleted; nil when the template or version does not
    /// exist.
    public func templateVersion(id: UUID, version: Int) async throws -> StoredTemplate? {
        let rows = try await query(
            """
            SELECT \(unescaped: Self.templateColumns) FROM templates t
            JOIN template_versions v ON v.tenant_id = t.tenant_id AND v.template_id = t.id
            WHERE t.tenant_id = \(tenantID) AND t.id = \(id) AND v.version = \(Int32(clamping: version))
            """)
        if let row = try await rows.decode(TemplateRow.self).firstRow() { return try Self.storedTemplate(row) }
        return nil
    }

    /// Every version of a template (live or deleted), newest first, without their definitions:
    /// (version, the template's name in it, when it was saved). Nil when there is no such template.
    public func templateVersions(id: UUID) async throws -> [(version: Int, name: String, createdAt: Date)]? {
        let rows = try await query(
            """
            SELECT v.version, v.definition ->> 'name', v.created_at FROM templates t
            JOIN template_versions v ON v.tenant_id = t.tenant_id AND v.template_id = t.id
            WHERE t.tenant_id = \(tenantID) AND t.id = \(id) ORDER BY v.version DESC
            """)
        var versions: [(version: Int, name: String, createdAt: Date)] = []
        for try await (version, name, createdAt) in rows.decode((Int, String, Date).self) {
            versions.append((version, name, createdAt))
        }
        return versions.isEmpty ? nil : versions
    }
}
