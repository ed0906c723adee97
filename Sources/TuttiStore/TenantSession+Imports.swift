import Foundation
import PostgresNIO
import TuttiDomain

extension TenantSession {
    /// Records a new import as running; it is visible to others once this transaction commits.
    public func importInsert(id: UUID, format: ImportFormat, source: String?) async throws -> ImportRecord {
        try await query(
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
            SELECT id, format, status, source, rows_total, rows_ok, rows_failed, errors::text, created_at, finished_at
            FROM imports WHERE tenant_id = \(tenantID) AND id = \(id)
            """)
        for try await (id, format, status, source, total, ok, failed, errors, createdAt, finishedAt)
            in rows.decode((UUID, String, String, String?, Int, Int, Int, String, Date, Date?).self)
        {
            return ImportRecord(
                id: id, format: ImportFormat(rawValue: format) ?? .ndjson, status: ImportStatus(rawValue: status) ?? .failed,
                source: source, rowsTotal: total, rowsOK: ok, rowsFailed: failed, errors: Self.importErrors(errors),
                createdAt: createdAt, finishedAt: finishedAt)
        }
        return nil
    }

    /// Adds a chunk's counts and errors to the import (the caller keeps the stored errors
    /// within ``ImportRecord/keptErrors``); `status`, when given, also ends it. The errors
    /// column is left as it is when there is nothing to add, so that a long import does not
    /// rewrite a full list of errors at every chunk.
    public func importRecordProgress(
        id: UUID, rows: Int, ok: Int, failed: Int, errors: [ImportRowError], status: ImportStatus? = nil
    ) async throws {
        let finished = status.map { $0 != .running } ?? false
        try await query(
            """
            UPDATE imports SET rows_total = rows_total + \(rows), rows_ok = rows_ok + \(ok), rows_failed = rows_failed + \(failed),
                errors = CASE WHEN \(errors.isEmpty) THEN errors ELSE errors || \(Self.importErrorsText(errors))::jsonb END,
                status = coalesce(\(status?.rawValue), status),
                finished_at = CASE WHEN \(finished) THEN now() ELSE finished_at END
            WHERE tenant_id = \(tenantID) AND id = \(id)
            """)
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
