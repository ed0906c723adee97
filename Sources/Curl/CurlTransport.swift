/// Sends HTTP requests with libcurl, sharing kept-alive connections between
/// all callers.
///
/// Create one per process (or per set of settings) and share it: it is
/// Sendable, and every concurrent ``send(_:)`` goes through the same libcurl
/// multi handle, so connections to a host are reused and, over HTTP/2,
/// multiplexed. The transfers run on one dedicated thread that this object
/// starts, never on Swift's cooperative pool (the design is written up in
/// CurlMultiDriver.swift).
///
/// Call ``shutdown()`` when done. Dropping the last reference also stops the
/// thread, but without waiting for it.
public final class CurlTransport: Sendable {
    /// The name of each transport's driving thread, as seen in `top -H`,
    /// debuggers and `/proc/<pid>/task/*/comm` (at most 15 bytes for Linux).
    public static let threadName = "curl-transport"

    /// The settings every request starts from.
    public let configuration: Configuration
    /// Internal so tests can watch it be released once the thread has exited.
    let driver: CurlMultiDriver

    /// Creates a transport and starts its thread.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        driver = CurlMultiDriver(configuration: configuration)
    }

    deinit {
        driver.requestStop()
    }

    /// Sends `request` and returns the server's response, whatever its
    /// status; throws only when no response arrived.
    ///
    /// Cancelling the calling task abandons the exchange promptly and throws
    /// ``CurlTransportError/Code/cancelled``.
    public func send(_ request: HTTPRequest) async throws(CurlTransportError) -> HTTPResponse {
        let driver = self.driver
        let id = driver.makeID()
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                driver.submit(.init(id: id, exchange: .http(request), continuation: continuation))
            }
        } onCancel: {
            driver.cancel(id)
        }
        return try result.get().response
    }

    /// Sends every request of `requests`, at most `concurrency` at once, and returns each
    /// one's response or error in the same order. For many requests this is much cheaper
    /// than as many ``send(_:)`` calls: the batch crosses to the transport's thread once and
    /// comes back once.
    ///
    /// Cancelling the calling task abandons the requests still running or waiting; they
    /// answer ``CurlTransportError/Code/cancelled``.
    public func send(_ requests: [HTTPRequest], concurrency: Int) async -> [Result<HTTPResponse, CurlTransportError>] {
        guard !requests.isEmpty else { return [] }
        let driver = self.driver
        let id = driver.makeID()
        let results = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                driver.submit(
                    CurlMultiDriver.BatchSubmission(id: id, requests: requests, concurrency: max(1, concurrency), continuation: continuation))
            }
        } onCancel: {
            driver.cancel(id)
        }
        return results.map { $0.map(\.response) }
    }

    /// Stops the transport: requests in flight or submitted later fail with
    /// ``CurlTransportError/Code/shutdown``. Returns once the thread has
    /// released every libcurl handle (and so closed every connection).
    public func shutdown() async {
        await driver.stop()
    }
}
