import Curl
import TuttiDomain

/// Hands deliveries to one gateway as one channel is configured.
///
/// A connector is a value made from a ``ChannelConfiguration`` (secrets decrypted) by
/// ``Connectors/connector(for:clock:)``; it holds no connection and no state between
/// deliveries, so a worker may make one per channel and share it between tasks. Every
/// failure is an outcome, never a thrown error: the worker only has to record what comes back.
public protocol Connector: Sendable {
    /// Sends `delivery` through `transport` and says what became of it, with the gateway's
    /// HTTP status when it answered over HTTP.
    func send(_ delivery: Delivery, through transport: CurlTransport) async -> DeliveryReport
}

/// A connector that speaks HTTP, split into the two pure mappings it is made of so that
/// each can be tested without a network, and the exchange in between.
public protocol HTTPConnector: Connector {
    /// The request that hands `delivery` to the gateway; throws when the delivery cannot be
    /// sent on this channel at all (no recipient, nothing to say).
    func request(for delivery: Delivery) throws(ConnectorError) -> Curl.HTTPRequest
    /// What the gateway's answer means for the delivery.
    func outcome(of response: HTTPResponse) -> DeliveryOutcome
}

extension HTTPConnector {
    /// Builds the request, sends it, maps the answer; see ``Connector/send(_:through:)``.
    /// Every answer's status is reported here, once for all HTTP connectors, so that
    /// ``outcome(of:)`` stays a pure mapping of the response.
    public func send(_ delivery: Delivery, through transport: CurlTransport) async -> DeliveryReport {
        let request: Curl.HTTPRequest
        do throws(ConnectorError) {
            request = try self.request(for: delivery)
        } catch {
            return DeliveryReport(.failed(reason: error.description))
        }
        do throws(CurlTransportError) {
            let response = try await transport.send(request)
            return DeliveryReport(outcome(of: response), httpStatus: response.status)
        } catch {
            return DeliveryReport(DeliveryOutcome(error))
        }
    }
}
