import Foundation

/// Where an import stands. `running` is the only state an import leaves; the others are final.
public enum ImportStatus: String, Sendable, Codable, CaseIterable {
    /// Rows are still arriving; the counts grow as each chunk commits.
    case running
    /// The body was read to its end; every row is either written or reported.
    case completed
    /// The body broke off, could not be stored, or the process running it stopped (its
    /// heartbeat went stale): what was committed stays.
    case failed
    /// A client cancelled it; it stopped after the chunk it was writing, which stays.
    case cancelled
}

/// An import as stored: progress counts and the first errors.
public struct ImportRecord: Sendable, Equatable {
    public var id: UUID
    public var format: ImportFormat
    public var status: ImportStatus
    public var source: String?
    public var rowsTotal: Int
    public var rowsOK: Int
    public var rowsFailed: Int
    /// The first ``ImportRecord/keptErrors`` errors, in the order found.
    public var errors: [ImportRowError]
    /// Why a `failed` or `cancelled` import ended; nil otherwise.
    public var reason: String?
    public var createdAt: Date
    /// Last sign of life of the process running it (every chunk, and every few seconds).
    public var heartbeatAt: Date
    public var finishedAt: Date?

    /// How many per-row errors an import keeps (all are counted in `rowsFailed`).
    public static let keptErrors = 1_000

    public init(
        id: UUID, format: ImportFormat, status: ImportStatus, source: String?, rowsTotal: Int, rowsOK: Int, rowsFailed: Int,
        errors: [ImportRowError], reason: String? = nil, createdAt: Date, heartbeatAt: Date? = nil, finishedAt: Date?
    ) {
        self.id = id
        self.format = format
        self.status = status
        self.source = source
        self.rowsTotal = rowsTotal
        self.rowsOK = rowsOK
        self.rowsFailed = rowsFailed
        self.errors = errors
        self.reason = reason
        self.createdAt = createdAt
        self.heartbeatAt = heartbeatAt ?? createdAt
        self.finishedAt = finishedAt
    }
}
