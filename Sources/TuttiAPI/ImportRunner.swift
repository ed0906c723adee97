import Foundation
import Hummingbird
import Logging
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// Runs one import: rows are gathered into chunks, and each chunk's rows, counts and errors
/// are committed in one transaction, so progress is visible while it runs and whatever was
/// committed stays if the upload breaks off. A chunk that meets a deadlock or serialization
/// failure (a concurrent writer on the same customers) is retried whole.
///
/// Each chunk's transaction first locks the import's row and goes on only while the import is
/// `running`: a cancellation (`POST /v1/imports/{id}/cancel`) or the scheduler's sweep waits
/// for the chunk in flight, and the next chunk sees it and stops the run (``ImportStopped``).
/// Meanwhile a heartbeat refreshes `heartbeat_at` every `heartbeatInterval`, even when the body
/// is slow to arrive, so that the sweep fails only imports whose process is gone.
struct ImportRunner: Sendable {
    static let chunkSize = 1_000
    static let attempts = 3

    let database: Database
    let principal: Principal
    let importID: UUID
    /// Kept with every identity the import adds and every attribute key it writes: `import:<source>`.
    let identitySource: String
    let requestID: String?
    let logger: Logger
    /// How often the heartbeat is refreshed between chunks (default 10 s); the scheduler fails
    /// an import after `TUTTI_IMPORT_STALE_SECONDS` (default 60 s) without one.
    var heartbeatInterval: Duration = .seconds(10)

    /// Reads the rest of the body, starting with `first`, and returns the finished import.
    /// When the body breaks off, the rows read so far are committed, the import is marked
    /// failed, and the error is thrown; so it is when a chunk cannot be stored.
    ///
    /// The next chunk is read while the last one is written (one chunk in flight, never more:
    /// memory stays at two chunks, and the client waits on TCP flow control beyond that).
    ///
    /// Throws ``ImportStopped`` when the import was cancelled (or swept) while it ran.
    func run<Body>(first: ImportItem, reader: inout ImportBodyReader<Body>) async throws -> ImportRecord {
        try await withThrowingTaskGroup(of: Void.self) { heartbeat in
            heartbeat.addTask { await self.beat() }
            defer { heartbeat.cancelAll() }
            return try await runChunks(first: first, reader: &reader)
        }
    }

    private func runChunks<Body>(first: ImportItem, reader: inout ImportBodyReader<Body>) async throws -> ImportRecord {
        var chunk: [ImportItem] = [first]
        chunk.reserveCapacity(Self.chunkSize)
        var keptErrors = 0
        try await withThrowingTaskGroup(of: Int.self) { writer in
            var writing = false
            while true {
                let item: ImportItem?
                do {
                    item = try await reader.next()
                } catch {
                    logger.warning("import broke off", metadata: ["import.id": "\(importID.lowercasedText)", "error": "\(error)"])
                    if writing { keptErrors += try await writer.next() ?? 0 }
                    let closing = ImportRowError(line: reader.parser.line, field: nil, message: Self.reason(error))
                    let (read, kept) = (chunk, keptErrors)
                    try await uncancelled { try await $0.commit(read, keptErrors: kept, status: .failed, closing: closing) }
                    throw error
                }
                guard let item else { break }
                chunk.append(item)
                if chunk.count >= Self.chunkSize {
                    if writing { keptErrors += try await writer.next() ?? 0 }
                    let (full, kept) = (chunk, keptErrors)
                    writer.addTask { try await self.commitOrFail(full, keptErrors: kept) }
                    writing = true
                    chunk = []
                    chunk.reserveCapacity(Self.chunkSize)
                }
            }
            if writing { keptErrors += try await writer.next() ?? 0 }
        }
        _ = try await commitOrFail(chunk, keptErrors: keptErrors, status: .completed)
        let id = importID
        guard let record = try await database.withTenant(principal.tenantID, logger: logger, { try await $0.importGet(id: id) }) else {
            throw Problem.notFound("The import was removed while it ran.")
        }
        return record
    }

    static func reason(_ error: any Error) -> String {
        switch error {
        case ImportBodyFailure.tooLarge(let limit): "The body is larger than the import limit of \(limit) bytes; nothing after this line was read."
        case is CancellationError: "The server shut down during the import; nothing after this line was read."
        default: "The upload broke off; nothing after this line was read."
        }
    }

    /// Commits a chunk; when that fails for good, marks the import failed and rethrows. An
    /// import that was stopped meanwhile (``ImportStopped``) is left as it is.
    private func commitOrFail(_ items: [ImportItem], keptErrors: Int, status: ImportStatus? = nil) async throws -> Int {
        do {
            return try await commit(items, keptErrors: keptErrors, status: status)
        } catch let stopped as ImportStopped {
            throw stopped
        } catch {
            logger.error("import chunk not stored", metadata: ["import.id": "\(importID.lowercasedText)", "error": "\(error)"])
            let closing = ImportRowError(
                line: items.first?.line ?? 0, field: nil, message: "Rows from this line on could not be stored; nothing after it was read.")
            do {
                try await uncancelled { try await $0.commit([], keptErrors: keptErrors, status: .failed, closing: closing) }
            } catch {
                logger.error("import not marked failed", metadata: ["import.id": "\(importID.lowercasedText)", "error": "\(error)"])
            }
            throw error
        }
    }

    /// Runs `body` in a task of its own, so that recording a failure survives the request's
    /// cancellation (a server shutting down); it is awaited, never left behind.
    private func uncancelled(_ body: @escaping @Sendable (ImportRunner) async throws -> Int) async throws {
        let runner = self
        _ = try await Task { try await body(runner) }.value
    }

    /// Writes a chunk's rows and records its counts and errors in one transaction; returns how
    /// many errors were stored (the first ``ImportRecord/keptErrors`` of the import are).
    private func commit(_ items: [ImportItem], keptErrors: Int, status: ImportStatus? = nil, closing: ImportRowError? = nil) async throws -> Int {
        var rows: [ImportRow] = []
        var errors: [ImportRowError] = []
        for item in items {
            switch item {
            case .row(let row): rows.append(row)
            case .invalid(let rowErrors): errors += rowErrors
            }
        }
        let invalid = items.count - rows.count
        let (id, source, requestID) = (importID, identitySource, self.requestID)
        var attempt = 1
        while true {
            do {
                return try await database.withTenant(principal.tenantID, logger: logger) { session in
                    let current = try await session.importLockForChunk(id: id)
                    guard current == .running else { throw ImportStopped(status: current ?? .failed) }
                    let outcome = try await session.importWrite(rows, source: source, requestID: requestID)
                    var all = (errors + outcome.errors).sorted { $0.line < $1.line }
                    if let closing { all.append(closing) }
                    let stored = Array(all.prefix(max(0, ImportRecord.keptErrors - keptErrors)))
                    try await session.importRecordProgress(
                        id: id, rows: items.count, ok: rows.count - outcome.errors.count, failed: invalid + outcome.errors.count,
                        errors: stored, status: status, reason: closing.map { "Line \($0.line): \($0.message)" })
                    return stored.count
                }
            } catch let error as StoreError where error.isRetryable && attempt < Self.attempts {
                attempt += 1
                logger.notice("import chunk retried", metadata: ["import.id": "\(id.lowercasedText)", "error": "\(error)"])
            }
        }
    }
}
