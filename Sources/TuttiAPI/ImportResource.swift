import Foundation
import TuttiDomain

/// An import as the API shows it.
struct ImportResource: Encodable, Sendable {
    struct ErrorJSON: Encodable, Sendable {
        var line: Int
        var field: String?
        var message: String
    }

    var id: String
    var status: String
    var format: String
    var source: String?
    var rowsTotal: Int
    var rowsOK: Int
    var rowsFailed: Int
    /// Absent from lists, which would otherwise carry up to a thousand per import.
    var errors: [ErrorJSON]?
    var reason: String?
    var createdAt: Date
    var heartbeatAt: Date
    var finishedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, status, format, source, errors, reason
        case rowsTotal = "rows_total"
        case rowsOK = "rows_ok"
        case rowsFailed = "rows_failed"
        case createdAt = "created_at"
        case heartbeatAt = "heartbeat_at"
        case finishedAt = "finished_at"
    }

    init(_ record: ImportRecord, withErrors: Bool = true) {
        id = record.id.lowercasedText
        status = record.status.rawValue
        format = record.format.rawValue
        source = record.source
        rowsTotal = record.rowsTotal
        rowsOK = record.rowsOK
        rowsFailed = record.rowsFailed
        errors = withErrors ? record.errors.map { ErrorJSON(line: $0.line, field: $0.field, message: $0.message) } : nil
        reason = record.reason
        createdAt = record.createdAt
        heartbeatAt = record.heartbeatAt
        finishedAt = record.finishedAt
    }
}
