/// The options of a plain HTTP POST beyond its URL, body and headers: the ones an easy handle
/// can keep from one such request to the next.
///
/// Resetting a handle and setting about twenty options again for every request was a
/// measurable part of the transfer thread's time when sending tens of thousands of webhooks a
/// second. A handle whose last request was a plain POST with an equal profile keeps its
/// options (``CurlEasyHandle/keepForAnotherPost()``); anything else — credentials, a private
/// CA, another method or timeout, mail — resets it first, so no option of one request can
/// leak into another.
struct HTTPPostProfile: Equatable {
    let protocols: String
    let connectTimeoutMilliseconds: Int
    let timeoutMilliseconds: Int

    /// The profile of `request`, or nil when it is not a plain POST (other methods, and
    /// requests carrying credentials or their own CA, always start from a reset handle).
    init?(of request: HTTPRequest, configuration: CurlTransport.Configuration, protocols: String) {
        guard request.method == .post, request.authentication == nil, request.caCertificates == nil else { return nil }
        self.protocols = protocols
        connectTimeoutMilliseconds = CurlEasyHandle.milliseconds(request.connectTimeout ?? configuration.connectTimeout)
        timeoutMilliseconds = CurlEasyHandle.milliseconds(request.timeout ?? configuration.timeout)
    }
}
