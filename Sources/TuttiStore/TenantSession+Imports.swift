import Foundation
import PostgresNIO
import TuttiDomain

extension TenantSession {
    /// Records a new import as running; it is visible to others once this transaction commits.
    public func importInsert(id: UUID, format: ImportFormat, source: String?) async throws -> ImportRecord {
        try await execute(
            """
            INSERT INTO imports (tenant_id, id, format, status, source)
            VALUES (\(tenantID), \(id), \(format.rawValue), \(ImportStatus.running.rawValue), \(source))
            """)
        guard let record = try await importGet(id: id) else { throw StoreError.unavailable }
        return record
    }

    /// The import `id`, with its counts and first errors; nil when this tenant has none.
    public func importGet(id: UUID) async throws -> ImportRecord? {
        let rows = try await query(
            """
            SELECT \(unescaped: Self.importColumns), errors::text
            FROM imports WHERE tenant_id = \(tenantID) AND id = \(id)
            """)
        return try await Self.importRecords(rows).first
    }

    /// A page of this tenant's imports, newest first, optionally only those in `status`. The
    /// per-row errors are left out (up to a thousand per import): ``importGet(id:)`` has them.
    public func importList(page: PageRequest, status: ImportStatus?) async throws -> Page<ImportRecord> {
        let rows = try await query(
            """
            SELECT \(unescaped: Self.importColumns), '[]'
            FROM imports
            WHERE tenant_id = \(tenantID) AND (\(page.after)::uuid IS NULL OR id < \(page.after))
              AND (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue))
            ORDER BY id DESC LIMIT \(page.limit + 1)
            """)
        return Page(fetched: try await Self.importRecords(rows), request: page, id: \.id)
    }

    private static let importColumns =
        "id, format, status, source, rows_total, rows_ok, rows_failed, reason, created_at, heartbeat_at, finished_at"

    private static func importRecords(_ rows: PostgresRowSequence) async throws -> [ImportRecord] {
        var records: [ImportRecord] = []
        for try await (id, format, status, source, total, ok, failed, reason, createdAt, heartbeatAt, finishedAt, errors)
            in rows.decode((UUID, String, String, String?, Int, Int, Int, String?, Date, Date, Date?, String).self)
        {
            records.append(ImportRecord(
                id: id, format: ImportFormat(rawValue: format) ?? .ndjson, status: ImportStatus(rawValue: status) ?? .failed,
                source: source, rowsTotal: total, rowsOK: ok, rowsFailed: failed, errors: importErrors(errors), reason: reason,
                createdAt: createdAt, heartbeatAt: heartbeatAt, finishedAt: finishedAt))
        }
        return records
    }

    static func importErrorsText(_ errors: [ImportRowError]) -> String {
        JSONValue.array(errors.map { error in
            .object(["line": .number(Double(error.line)), "field": error.field.map(JSONValue.string) ?? .null, "message": .string(error.message)])
        }).compactText
    }

    static func importErrors(_ text: String) -> [ImportRowError] {
        guard case .array(let items)? = JSONValue.parse(text) else { return [] }
        return items.compactMap { item in
            guard let object = item.objectValue, case .number(let line)? = object["line"], let message = object["message"]?.stringValue else { return nil }
            return ImportRowError(line: Int(line), field: object["field"]?.stringValue, message: message)
        }
    }
}
