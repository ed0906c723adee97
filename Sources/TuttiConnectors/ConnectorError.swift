/// Why a delivery cannot be turned into a gateway request: it lacks what this channel type
/// needs. Always permanent; the reason names the missing part for the operator.
public struct ConnectorError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }

    static func missingRecipient(_ kind: String) -> ConnectorError {
        ConnectorError("the delivery has no recipient; this channel needs \(kind)")
    }

    static func missingContent(_ part: String) -> ConnectorError {
        ConnectorError("the message has no \(part), which this channel needs")
    }
}
