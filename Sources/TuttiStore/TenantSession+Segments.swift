import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

/// Why a segment cannot be saved or removed.
public enum SegmentWriteError: Error, Sendable, Equatable {
    /// Another live segment of the tenant has this name (names compare case-insensitively).
    case nameTaken(String)
    /// Other segments name this one in their rules (by name), so it cannot be renamed or deleted.
    case referenced(by: [String])
}

extension TenantSession {
    static let segmentColumns = """
        s.id, s.name, s.description, v.version, v.rule_text, v.rule::text, v.segment_references::text, s.created_at, s.updated_at
        """

    typealias SegmentRow = (UUID, String, String?, Int, String, String, String, Date, Date)

    static func segment(_ row: SegmentRow) throws -> Segment {
        let decoder = JSONDecoder()
        return Segment(
            id: row.0, name: row.1, description: row.2, version: row.3, ruleText: row.4,
            rule: try decoder.decode(RuleExpression.self, from: Data(row.5.utf8)),
            references: try decoder.decode([SegmentReference].self, from: Data(row.6.utf8)), createdAt: row.7, updatedAt: row.8)
    }

    private static func json<Value: Encodable>(_ value: Value) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    /// Creates a segment at version 1.
    public func segmentInsert(name: String, description: String?, ruleText: String, rule: CheckedRule) async throws -> Segment {
        let id = UUID.v7()
        do {
            try await execute(
                "INSERT INTO segments (tenant_id, id, name, description) VALUES (\(tenantID), \(id), \(name), \(description))")
        } catch let error as PSQLError where StoreError(error).isConflict {
            throw SegmentWriteError.nameTaken(name)
        }
        try await segmentVersionInsert(id: id, version: 1, ruleText: ruleText, rule: rule)
        guard let segment = try await segmentGet(id: id) else { throw StoreError.unavailable }
        return segment
    }

    private func segmentVersionInsert(id: UUID, version: Int, ruleText: String, rule: CheckedRule) async throws {
        try await execute(
            """
            INSERT INTO segment_versions (tenant_id, segment_id, version, rule_text, rule, segment_references)
            VALUES (\(tenantID), \(id), \(version), \(ruleText), \(try Self.json(rule.expression))::jsonb, \(try Self.json(rule.segments))::jsonb)
            """)
    }

    /// One live segment at its current version, or nil.
    public func segmentGet(id: UUID) async throws -> Segment? {
        let rows = try await query(
            """
            SELECT \(unescaped: Self.segmentColumns) FROM segments s
            JOIN segment_versions v ON v.tenant_id = s.tenant_id AND v.segment_id = s.id AND v.version = s.current_version
            WHERE s.tenant_id = \(tenantID) AND s.id = \(id) AND s.deleted_at IS NULL
            """)
        if let row = try await rows.decode(SegmentRow.self).firstRow() { return try Self.segment(row) }
        return nil
    }

    /// Every version of a live segment, newest first.
    public func segmentVersions(id: UUID) async throws -> [SegmentVersion]? {
        guard try await segmentGet(id: id) != nil else { return nil }
        let rows = try await query(
            """
            SELECT version, rule_text, rule::text, created_at FROM segment_versions
            WHERE tenant_id = \(tenantID) AND segment_id = \(id) ORDER BY version DESC
            """)
        var versions: [SegmentVersion] = []
        for try await (version, text, rule, createdAt) in rows.decode((Int, String, String, Date).self) {
            versions.append(
                SegmentVersion(version: version, ruleText: text, rule: try JSONDecoder().decode(RuleExpression.self, from: Data(rule.utf8)), createdAt: createdAt))
        }
        return versions
    }

    /// A page of the tenant's live segments, oldest first.
    public func segmentList(page: PageRequest) async throws -> Page<Segment> {
        let after = page.after ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        let rows = try await query(
            """
            SELECT \(unescaped: Self.segmentColumns) FROM segments s
            JOIN segment_versions v ON v.tenant_id = s.tenant_id AND v.segment_id = s.id AND v.version = s.current_version
            WHERE s.tenant_id = \(tenantID) AND s.deleted_at IS NULL AND s.id > \(after)
            ORDER BY s.id LIMIT \(page.limit + 1)
            """)
        var segments: [Segment] = []
        for try await row in rows.decode(SegmentRow.self) { segments.append(try Self.segment(row)) }
        return Page(fetched: segments, request: page, id: \.id)
    }

    /// The live segments whose current rule names segment `name` directly.
    public func segmentDependents(of name: String) async throws -> [(id: UUID, name: String, ruleText: String)] {
        let rows = try await query(
            """
            SELECT s.id, s.name, v.rule_text FROM segments s
            JOIN segment_versions v ON v.tenant_id = s.tenant_id AND v.segment_id = s.id AND v.version = s.current_version
            WHERE s.tenant_id = \(tenantID) AND s.deleted_at IS NULL
            AND EXISTS (SELECT 1 FROM jsonb_array_elements(v.segment_references) r WHERE lower(r ->> 'name') = lower(\(name)))
            ORDER BY s.id
            """)
        var dependents: [(id: UUID, name: String, ruleText: String)] = []
        for try await (id, name, text) in rows.decode((UUID, String, String).self) { dependents.append((id, name, text)) }
        return dependents
    }

    /// Renames or describes a segment, and with a new rule adds a version. Nil when there is no
    /// such live segment. Renaming a segment that others name is refused.
    public func segmentUpdate(id: UUID, name: String, description: String?, ruleText: String, rule: CheckedRule) async throws -> Segment? {
        guard let current = try await segmentGetForUpdate(id: id) else { return nil }
        if current.name.lowercased() != name.lowercased() {
            let dependents = try await segmentDependents(of: current.name)
            if !dependents.isEmpty { throw SegmentWriteError.referenced(by: dependents.map(\.name)) }
        }
        let changed = current.ruleText != ruleText || current.rule != rule.expression
        let version = changed ? current.version + 1 : current.version
        do {
            try await execute(
                """
                UPDATE segments SET name = \(name), description = \(description), current_version = \(version), updated_at = now()
                WHERE tenant_id = \(tenantID) AND id = \(id)
                """)
        } catch let error as PSQLError where StoreError(error).isConflict {
            throw SegmentWriteError.nameTaken(name)
        }
        if changed { try await segmentVersionInsert(id: id, version: version, ruleText: ruleText, rule: rule) }
        return try await segmentGet(id: id)
    }

    private func segmentGetForUpdate(id: UUID) async throws -> Segment? {
        let rows = try await query("SELECT 1 FROM segments WHERE tenant_id = \(tenantID) AND id = \(id) AND deleted_at IS NULL FOR UPDATE")
        for try await _ in rows.decode(Int.self) {}
        return try await segmentGet(id: id)
    }

    /// Deletes a segment (its versions stay, for the campaigns that recorded them). False when
    /// there is no such live segment; refused while other segments name it.
    public func segmentDelete(id: UUID) async throws -> Bool {
        guard let current = try await segmentGetForUpdate(id: id) else { return false }
        let dependents = try await segmentDependents(of: current.name)
        if !dependents.isEmpty { throw SegmentWriteError.referenced(by: dependents.map(\.name)) }
        try await execute("UPDATE segments SET deleted_at = now(), updated_at = now() WHERE tenant_id = \(tenantID) AND id = \(id)")
        return true
    }
}

extension TenantSession {
    /// Every live segment at its current version, oldest first (at most `limit`): what real-time
    /// membership evaluates.
    public func segmentsAll(limit: Int = 10_000) async throws -> [Segment] {
        let rows = try await query(
            """
            SELECT \(unescaped: Self.segmentColumns) FROM segments s
            JOIN segment_versions v ON v.tenant_id = s.tenant_id AND v.segment_id = s.id AND v.version = s.current_version
            WHERE s.tenant_id = \(tenantID) AND s.deleted_at IS NULL
            ORDER BY s.id LIMIT \(limit)
            """)
        var segments: [Segment] = []
        for try await row in rows.decode(SegmentRow.self) { segments.append(try Self.segment(row)) }
        return segments
    }

    /// The database's clock at this statement, to the millisecond: the `now` rules are
    /// evaluated at.
    public func databaseNow() async throws -> RuleTime {
        let rows = try await query("SELECT floor(extract(epoch FROM statement_timestamp()) * 1000)::bigint")
        if let milliseconds = try await rows.decode(Int64.self).firstRow() { return RuleTime(millisecondsSinceEpoch: milliseconds) }
        throw StoreError.unavailable
    }
}
