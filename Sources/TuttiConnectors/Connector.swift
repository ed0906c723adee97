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
    func send(_ delivery: Delivery, through transport: CurlTransport) async -> SentDelivery

    /// Sends `deliveries`, at most `concurrency` at once, and says what became of each, in
    /// the same order. The worker's path: HTTP connectors hand the whole batch to the
    /// transport in one go.
    func send(_ deliveries: [Delivery], through transport: CurlTransport, concurrency: Int) async -> [SentDelivery]
}

/// What became of one delivery, with what the worker records of the attempt.
///
/// The status sits beside the ``DeliveryOutcome`` rather than in its cases, so that code
/// deciding what to do next (complete, retry, dead-letter) keeps matching three plain cases.
public struct SentDelivery: Sendable, Hashable {
    public var outcome: DeliveryOutcome
    /// The gateway's HTTP status whenever it answered over HTTP, whatever the outcome; nil when
    /// no answer came (timeout, reset, TLS), when the request was never sent, and for SMTP (a
    /// reply code is not an HTTP status; the reason quotes it).
    public var httpStatus: Int?
    /// How long the exchange took.
    public var duration: Duration

    public init(outcome: DeliveryOutcome, httpStatus: Int? = nil, duration: Duration = .zero) {
        self.outcome = outcome
        self.httpStatus = httpStatus
        self.duration = duration
    }
}

extension Connector {
    /// One ``send(_:through:)`` per delivery, at most `concurrency` at once.
    public func send(_ deliveries: [Delivery], through transport: CurlTransport, concurrency: Int) async -> [SentDelivery] {
        await withTaskGroup(of: (Int, SentDelivery).self) { group in
            var results = [SentDelivery?](repeating: nil, count: deliveries.count)
            var next = 0
            func startNext() {
                guard next < deliveries.count else { return }
                let index = next
                next += 1
                group.addTask {
                    let start = ContinuousClock.now
                    var sent = await send(deliveries[index], through: transport)
                    sent.duration = ContinuousClock.now - start
                    return (index, sent)
                }
            }
            for _ in 0..<max(1, concurrency) { startNext() }
            while let (index, sent) = await group.next() {
                results[index] = sent
                startNext()
            }
            return results.map { $0! }
        }
    }
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
    public func send(_ delivery: Delivery, through transport: CurlTransport) async -> SentDelivery {
        let request: Curl.HTTPRequest
        do throws(ConnectorError) {
            request = try self.request(for: delivery)
        } catch {
            return SentDelivery(outcome: .failed(reason: error.description))
        }
        do throws(CurlTransportError) {
            let response = try await transport.send(request)
            return SentDelivery(outcome: outcome(of: response), httpStatus: response.status, duration: response.timing.total)
        } catch {
            return SentDelivery(outcome: DeliveryOutcome(error))
        }
    }

    /// Builds every request, sends them as one batch, maps the answers; see
    /// ``Connector/send(_:through:concurrency:)``.
    public func send(_ deliveries: [Delivery], through transport: CurlTransport, concurrency: Int) async -> [SentDelivery] {
        var results = [SentDelivery?](repeating: nil, count: deliveries.count)
        var requests: [Curl.HTTPRequest] = []
        var positions: [Int] = []
        requests.reserveCapacity(deliveries.count)
        positions.reserveCapacity(deliveries.count)
        for (index, delivery) in deliveries.enumerated() {
            do throws(ConnectorError) {
                requests.append(try request(for: delivery))
                positions.append(index)
            } catch {
                results[index] = SentDelivery(outcome: .failed(reason: error.description))
            }
        }
        let answers = await transport.send(requests, concurrency: concurrency)
        for (position, answer) in zip(positions, answers) {
            switch answer {
            case .success(let response):
                results[position] = SentDelivery(outcome: outcome(of: response), httpStatus: response.status, duration: response.timing.total)
            case .failure(let error):
                results[position] = SentDelivery(outcome: DeliveryOutcome(error))
            }
        }
        return results.map { $0! }
    }
}
