import PostgresNIO
import _ConnectionPoolModule

/// What went wrong in the database, classified so that callers can answer a client without
/// ever passing on the database's own text (which may name tables, values or other tenants).
public struct StoreError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable {
        case unavailable
        case conflict
        case invalidReference
        case checkViolation
        case serialization
        case other
    }

    private let code: Code
    /// The SQLSTATE the server reported, when it reported one.
    public let sqlState: String?
    /// The constraint involved, when there was one; useful in logs, not for clients.
    public let constraint: String?
    /// Details for operators' logs (never sent to a client).
    public let underlying: String

    private init(code: Code, sqlState: String?, constraint: String?, underlying: String) {
        self.code = code
        self.sqlState = sqlState
        self.constraint = constraint
        self.underlying = underlying
    }

    /// COMMIT answered ROLLBACK: a statement of the transaction failed and the failure reached
    /// no caller (a fault in our code; nothing of the transaction was kept).
    public static let rolledBackAtCommit = StoreError(
        code: .other, sqlState: nil, constraint: nil,
        underlying: "COMMIT rolled the transaction back: one of its statements failed without the failure being reported")

    /// The database could not be reached or dropped the connection; retrying later may help.
    public static let unavailable = StoreError(code: .unavailable, sqlState: nil, constraint: nil, underlying: "unavailable")

    public var isUnavailable: Bool { code == .unavailable }
    /// A unique constraint refused the write.
    public var isConflict: Bool { code == .conflict }
    /// A foreign key named a row that does not exist.
    public var isInvalidReference: Bool { code == .invalidReference }
    /// A check constraint refused a value the domain should already have refused.
    public var isCheckViolation: Bool { code == .checkViolation }
    /// A serialization failure or deadlock: the whole transaction may be retried.
    public var isRetryable: Bool { code == .serialization || code == .unavailable }
    /// A serialization failure or deadlock: PostgreSQL rolled the transaction back on purpose,
    /// so running it again from the start is safe (unlike after a dropped connection, where a
    /// commit may or may not have happened).
    public var isSerializationFailure: Bool { code == .serialization }

    public var description: String {
        "StoreError(\(code), sqlstate: \(sqlState ?? "-"), constraint: \(constraint ?? "-"))"
    }

    /// Classifies any error thrown by PostgresNIO.
    public init(_ error: any Error) {
        if let error = error as? StoreError {
            self = error
            return
        }
        if let pool = error as? ConnectionPoolError {
            // No connection to be had: the server has been unreachable for a while (the pool's
            // circuit breaker), or the pool is shutting down with the process. Either way the
            // request may be retried later; it is not a fault of the request.
            self.init(code: .unavailable, sqlState: nil, constraint: nil, underlying: String(describing: pool))
            return
        }
        guard let psql = error as? PSQLError else {
            self.init(code: .other, sqlState: nil, constraint: nil, underlying: String(describing: error))
            return
        }
        let state = psql.serverInfo?[.sqlState]
        let constraint = psql.serverInfo?[.constraintName]
        let message = psql.serverInfo?[.message] ?? String(describing: psql.code)
        let code: Code =
            switch state {
            case "23505": .conflict
            case "23503": .invalidReference
            case "23514", "23502": .checkViolation
            case "40001", "40P01": .serialization
            case .some(let state) where state.hasPrefix("08") || state == "57P01" || state == "57P03": .unavailable
            case nil: .unavailable
            default: .other
            }
        self.init(code: code, sqlState: state, constraint: constraint, underlying: message)
    }
}
