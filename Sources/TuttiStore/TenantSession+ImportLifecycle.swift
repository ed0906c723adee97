import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

/// What `POST /v1/imports/{id}/cancel` found.
public enum ImportCancelOutcome: Sendable, Equatable {
    /// It was running and is now cancelled; the process running it stops after its chunk.
    case cancelled(ImportRecord)
    /// It had already ended (completed, failed or cancelled); nothing changed.
    case alreadyFinished(ImportRecord)
    /// This tenant has no import with this id.
    case notFound
}

extension TenantSession {
    /// Locks the import's row until this transaction ends and returns its status (nil when
    /// there is none). The import runner calls it first in every chunk's transaction: a chunk
    /// is written only while the import is `running`, and a cancellation, or the scheduler's
    /// sweep, waits for the chunk in flight and is seen by the next one.
    public func importLockForChunk(id: UUID) async throws -> ImportStatus? {
        let rows = try await query("SELECT status FROM imports WHERE tenant_id = \(tenantID) AND id = \(id) FOR UPDATE")
        if let status = try await rows.decode(String.self).firstRow() { return ImportStatus(rawValue: status) ?? .failed }
        return nil
    }

    /// Adds a chunk's counts and errors to the import (the caller keeps the stored errors
    /// within ``ImportRecord/keptErrors``) and refreshes its heartbeat; `status`, when given,
    /// also ends it, with `reason`. An import that has ended already keeps its status. The
    /// errors column is left as it is when there is nothing to add, so that a long import does
    /// not rewrite a full list of errors at every chunk. (`(SELECT now())`: Citus refuses a
    /// function that is not immutable inside CASE in an UPDATE; a subquery it evaluates first.)
    public func importRecordProgress(
        id: UUID, rows: Int, ok: Int, failed: Int, errors: [ImportRowError], status: ImportStatus? = nil, reason: String? = nil
    ) async throws {
        let finishing = status.map { $0 != .running } ?? false
        try await execute(
            """
            UPDATE imports SET rows_total = rows_total + \(rows), rows_ok = rows_ok + \(ok), rows_failed = rows_failed + \(failed),
                errors = CASE WHEN \(errors.isEmpty) THEN errors ELSE errors || \(Self.importErrorsText(errors))::jsonb END,
                heartbeat_at = now(),
                status = CASE WHEN status = 'running' AND \(finishing) THEN \(status?.rawValue ?? "running") ELSE status END,
                reason = CASE WHEN status = 'running' AND \(finishing) THEN \(reason) ELSE reason END,
                finished_at = CASE WHEN status = 'running' AND \(finishing) THEN (SELECT now()) ELSE finished_at END
            WHERE tenant_id = \(tenantID) AND id = \(id)
            """)
    }

    /// Tells the scheduler that the process running import `id` is alive; returns false when
    /// the import is no longer running (cancelled, or swept as stale), so the runner can stop.
    public func importHeartbeat(id: UUID) async throws -> Bool {
        let rows = try await query(
            """
            UPDATE imports SET heartbeat_at = now()
            WHERE tenant_id = \(tenantID) AND id = \(id) AND status = 'running'
            RETURNING 1
            """)
        if try await rows.firstRow() != nil { return true }
        return false
    }

    /// Cancels a running import: it ends `cancelled` now, and the process running it stops
    /// after the chunk it is writing (whose rows, like every chunk committed before, stay).
    /// Waits for that chunk's transaction, which holds the import's row.
    public func importCancel(id: UUID) async throws -> ImportCancelOutcome {
        let rows = try await query(
            """
            UPDATE imports SET status = 'cancelled', finished_at = now(),
                reason = 'Cancelled by a client (POST /v1/imports/{id}/cancel); the rows counted were committed and stay.'
            WHERE tenant_id = \(tenantID) AND id = \(id) AND status = 'running'
            RETURNING 1
            """)
        var cancelled = false
        for try await _ in rows { cancelled = true }
        guard let record = try await importGet(id: id) else { return .notFound }
        return cancelled ? .cancelled(record) : .alreadyFinished(record)
    }
}
