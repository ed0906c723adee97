import CCurl

/// Gathers one response's header block and body as libcurl delivers them.
///
/// libcurl calls back through plain C function pointers, which cannot
/// capture Swift context; the collector travels as the callbacks' `userdata`
/// pointer instead (unretained: the loop's transfer table keeps it alive
/// until the transfer is done). Headers are kept as raw bytes and parsed by
/// the caller's task, to keep the one driving thread's work per request small.
final class ResponseCollector {
    /// The raw header lines of the latest response, CRLFs included.
    private(set) var headerBlock: [UInt8] = []
    private(set) var body: [UInt8] = []
    /// Set when the body outgrew `limit`; the transfer then fails with
    /// CURLE_WRITE_ERROR, which this flag tells apart from a real write error.
    private(set) var exceededLimit = false
    private let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Installs the write and header callbacks on `handle`.
    func attach(to handle: CurlEasyHandle) throws(CurlTransportError) {
        let userdata = Unmanaged.passUnretained(self).toOpaque()
        try handle.set(CURLOPT_WRITEDATA, pointer: userdata)
        try handle.set(CURLOPT_HEADERDATA, pointer: userdata)
        let bodyStatus = ccurl_setopt_write_function(handle.raw) { buffer, size, count, userdata in
            let collector = Unmanaged<ResponseCollector>.fromOpaque(userdata!).takeUnretainedValue()
            let length = size * count
            return collector.appendBody(UnsafeRawBufferPointer(start: buffer, count: length)) ? length : 0
        }
        let headerStatus = ccurl_setopt_header_function(handle.raw) { buffer, size, count, userdata in
            let collector = Unmanaged<ResponseCollector>.fromOpaque(userdata!).takeUnretainedValue()
            let length = size * count
            collector.appendHeaderLine(UnsafeRawBufferPointer(start: buffer, count: length))
            return length
        }
        guard bodyStatus == CURLE_OK, headerStatus == CURLE_OK else {
            throw CurlTransportError(code: .other, message: "installing libcurl callbacks failed")
        }
    }

    private func appendBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard body.count + bytes.count <= limit else {
            exceededLimit = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    /// Takes one header line. libcurl passes the header block of every
    /// response it reads — interim 1xx, proxy CONNECT, redirects — so a
    /// status line starts the block afresh and only the final one remains.
    private func appendHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        if bytes.starts(with: "HTTP/".utf8) {
            headerBlock.removeAll(keepingCapacity: true)
        }
        headerBlock.append(contentsOf: bytes)
    }
}
