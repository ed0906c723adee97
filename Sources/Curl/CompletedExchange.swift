/// What the driving thread hands back for a finished exchange. It becomes an
/// ``HTTPResponse`` on the caller's task; its header block is parsed only if someone reads
/// the headers, and then on that task, not on the one driving thread.
struct CompletedExchange: Sendable {
    var status: Int
    var headerBlock: [UInt8]
    var body: [UInt8]
    var timing: HTTPResponse.Timing
    var newConnections: Int

    var response: HTTPResponse {
        HTTPResponse(
            status: status,
            headerBlock: headerBlock,
            body: body,
            timing: timing,
            newConnections: newConnections
        )
    }
}
