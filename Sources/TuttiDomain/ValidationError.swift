/// A value a client sent that breaks a rule of the domain; carries the field so the client can
/// point a person at it.
public struct ValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// JSON pointer-ish name of the offending field, e.g. `name` or `role`.
    public var field: String
    /// What is wrong, phrased to complete "field …" (e.g. "must not be empty").
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field) \(message)" }
}
