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
