import Foundation

/// One valid row of an import: the identities that find (or make) its customer and the
/// attribute write to apply (`null` removes a key).
public struct ImportRow: Sendable, Equatable {
    /// The physical line the row starts on (1-based; a CSV header is line 1).
    public var line: Int
    /// Normalized and without repeats, in the order the row names them.
    public var identities: [Identity]
    /// Checked by ``CustomerAttributes/validate(_:)``.
    public var attributes: [String: JSONValue]
    /// Where each identity was written (`identities[0]`, or a CSV column), to name it in errors.
    public var fields: [Identity: String]

    public init(line: Int, identities: [Identity], attributes: [String: JSONValue] = [:], fields: [Identity: String] = [:]) {
        self.line = line
        var seen: Set<Identity> = []
        self.identities = identities.filter { seen.insert($0).inserted }
        self.attributes = attributes
        self.fields = fields
    }
}

/// Why a row of an import was skipped: its line, the field at fault when there is one, and a
/// message that completes "field …" (or stands alone when there is no field).
public struct ImportRowError: Sendable, Equatable, Codable {
    public var line: Int
    public var field: String?
    public var message: String

    public init(line: Int, field: String?, message: String) {
        self.line = line
        self.field = field
        self.message = message
    }
}

/// What the parser makes of one record: a row to write, or the reasons it cannot be.
public enum ImportItem: Sendable, Equatable {
    case row(ImportRow)
    case invalid([ImportRowError])

    public var line: Int {
        switch self {
        case .row(let row): row.line
        case .invalid(let errors): errors.first?.line ?? 0
        }
    }
}

/// A CSV header that cannot be read: the whole file is refused, since no row could be.
public struct ImportHeaderError: Error, Sendable, Equatable {
    public var errors: [ImportRowError]
    public init(_ errors: [ImportRowError]) { self.errors = errors }
}

/// Where an import stands.
public enum ImportStatus: String, Sendable, Codable {
    /// Rows are still arriving; the counts grow as each chunk commits.
    case running
    /// The body was read to its end; every row is either written or reported.
    case completed
    /// The body broke off (or could not be stored) part-way: what was committed stays.
    case failed
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
    public var createdAt: Date
    public var finishedAt: Date?

    /// How many per-row errors an import keeps (all are counted in `rowsFailed`).
    public static let keptErrors = 1_000

    public init(
        id: UUID, format: ImportFormat, status: ImportStatus, source: String?, rowsTotal: Int, rowsOK: Int, rowsFailed: Int,
        errors: [ImportRowError], createdAt: Date, finishedAt: Date?
    ) {
        self.id = id
        self.format = format
        self.status = status
        self.source = source
        self.rowsTotal = rowsTotal
        self.rowsOK = rowsOK
        self.rowsFailed = rowsFailed
        self.errors = errors
        self.createdAt = createdAt
        self.finishedAt = finishedAt
    }
}
