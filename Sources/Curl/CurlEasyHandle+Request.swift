import CCurl

extension CurlEasyHandle {
    /// Sets every option one request needs on a freshly reset handle;
    /// `protocols` is `configuration.allowedProtocols` in libcurl's syntax.
    ///
    /// Everything is set explicitly, even where it matches libcurl's default,
    /// so the security-relevant choices (verification, protocols, redirects)
    /// are visible here and do not depend on the libcurl build.
    func prepare(
        for request: HTTPRequest,
        configuration: CurlTransport.Configuration,
        protocols: String,
        collector: ResponseCollector
    ) throws(CurlTransportError) {
        try attachErrorBuffer()
        try collector.attach(to: self)
        try set(CURLOPT_URL, request.url)

        try set(CURLOPT_PROTOCOLS_STR, protocols)
        try set(CURLOPT_REDIR_PROTOCOLS_STR, protocols)
        try set(CURLOPT_FOLLOWLOCATION, configuration.maximumRedirects > 0 ? 1 : 0)
        try set(CURLOPT_MAXREDIRS, configuration.maximumRedirects)

        // Signals would be delivered to a random thread of the process.
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout ?? configuration.connectTimeout))
        try set(CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout ?? configuration.timeout))

        try set(CURLOPT_SSL_VERIFYPEER, 1)
        try set(CURLOPT_SSL_VERIFYHOST, 2)
        if let caFile = configuration.caFile {
            try set(CURLOPT_CAINFO, caFile)
        }
        try set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        // Wait for a connection being set up to see whether it multiplexes
        // (HTTP/2) rather than opening a second one to the same host.
        try set(CURLOPT_PIPEWAIT, 1)
        // Refuse early when Content-Length already says it is too big.
        try set(CURLOPT_MAXFILESIZE_LARGE, offset: Int64(configuration.maximumResponseBodySize))

        switch configuration.proxy.base {
        case .environment: break
        case .none: try set(CURLOPT_PROXY, "")
        case .url(let url): try set(CURLOPT_PROXY, url)
        }

        try setMethodAndBody(of: request)
        try setHeaderLines(Self.headerLines(of: request))
    }

    private func setMethodAndBody(of request: HTTPRequest) throws(CurlTransportError) {
        let method = request.method
        if method == .head {
            try set(CURLOPT_NOBODY, 1)
        } else if !request.body.isEmpty || method == .post || method == .put || method == .patch {
            try set(CURLOPT_POST, 1)
            // The size must be set first so COPYPOSTFIELDS copies binary data
            // (NUL bytes included); the copy outlives our array.
            try set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(request.body.count))
            let status = request.body.withUnsafeBufferPointer { buffer in
                // An empty array may have no storage; libcurl wants a valid pointer.
                let base = buffer.baseAddress.map { UnsafeMutableRawPointer(mutating: $0) }
                return "".withCString { empty in
                    ccurl_setopt_pointer(raw, CURLOPT_COPYPOSTFIELDS, base ?? UnsafeMutableRawPointer(mutating: empty))
                }
            }
            guard status == CURLE_OK else {
                throw CurlTransportError(
                    code: .other, curlCode: Int(status.rawValue),
                    message: "copying the request body failed: \(String(cString: curl_easy_strerror(status)))"
                )
            }
        } else {
            try set(CURLOPT_HTTPGET, 1)
        }
        if method != .get && method != .post && method != .head {
            try set(CURLOPT_CUSTOMREQUEST, method.rawValue)
        }
    }

    private static func headerLines(of request: HTTPRequest) -> [String] {
        var lines = request.headers.map { field in
            // "name:" would tell libcurl to remove the header; "name;" sends it empty.
            field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)"
        }
        // libcurl adds "Expect: 100-continue" to larger bodies and then waits
        // up to a second for a 100 that many API servers never send.
        if !request.headers.contains("expect") {
            lines.append("Expect:")
        }
        // libcurl labels every POST body as a form; better no label than a wrong one.
        if !request.headers.contains("content-type") {
            lines.append("Content-Type:")
        }
        return lines
    }

    /// A timeout in whole milliseconds, at least 1 because 0 means "never" to libcurl.
    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let total = seconds.multipliedReportingOverflow(by: 1000)
        guard !total.overflow else { return Int.max }
        return max(1, Int(total.partialValue) + Int(attoseconds / 1_000_000_000_000_000))
    }
}
