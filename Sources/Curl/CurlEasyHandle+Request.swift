import CCurl

extension CurlEasyHandle {
    /// Sets every option one HTTP request needs; `protocols` is the allowed subset of http
    /// and https in libcurl's syntax. A handle that kept the options of a POST with the same
    /// ``HTTPPostProfile`` gets only the URL, body and headers; any other is reset first.
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
        let profile = HTTPPostProfile(of: request, configuration: configuration, protocols: protocols)
        if let profile, profile == postProfile {
            // Everything but these is already set, and set the same way.
            try collector.attach(to: self)
            try set(CURLOPT_URL, request.url)
            try setMethodAndBody(of: request)
            try setHeaderLines(Self.headerLines(of: request))
            return
        }
        if postProfile != nil { reset() }
        try prepareConnection(
            url: request.url, configuration: configuration, protocols: protocols, collector: collector,
            connectTimeout: request.connectTimeout, timeout: request.timeout, caFile: configuration.caFile,
            caCertificates: request.caCertificates)
        try set(CURLOPT_REDIR_PROTOCOLS_STR, protocols)
        try set(CURLOPT_FOLLOWLOCATION, configuration.maximumRedirects > 0 ? 1 : 0)
        try set(CURLOPT_MAXREDIRS, configuration.maximumRedirects)
        try set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        // Wait for a connection being set up to see whether it multiplexes
        // (HTTP/2) rather than opening a second one to the same host.
        try set(CURLOPT_PIPEWAIT, 1)
        // Refuse early when Content-Length already says it is too big.
        try set(CURLOPT_MAXFILESIZE_LARGE, offset: Int64(configuration.maximumResponseBodySize))
        if let authentication = request.authentication {
            try setAuthentication(authentication)
        }
        try setMethodAndBody(of: request)
        try setHeaderLines(Self.headerLines(of: request))
        postProfile = profile
    }

    /// What every exchange shares: URL, protocol allow-list, timeouts, TLS
    /// verification and proxy.
    ///
    /// Proxy: with ``CurlTransport/Proxy/environment`` nothing is set, and
    /// libcurl itself reads `http_proxy`, `https_proxy`, `all_proxy` and
    /// `no_proxy` for each request. Setting `CURLOPT_PROXY` (even to "")
    /// would switch that off, so only the other two choices touch it.
    func prepareConnection(
        url: String,
        configuration: CurlTransport.Configuration,
        protocols: String,
        collector: ResponseCollector,
        connectTimeout: Duration?,
        timeout: Duration?,
        caFile: String?,
        caCertificates: String?
    ) throws(CurlTransportError) {
        try attachErrorBuffer()
        try collector.attach(to: self)
        try set(CURLOPT_URL, url)
        try set(CURLOPT_PROTOCOLS_STR, protocols)

        // Signals would be delivered to a random thread of the process.
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(connectTimeout ?? configuration.connectTimeout))
        try set(CURLOPT_TIMEOUT_MS, Self.milliseconds(timeout ?? configuration.timeout))

        try set(CURLOPT_SSL_VERIFYPEER, 1)
        try set(CURLOPT_SSL_VERIFYHOST, 2)
        if let caCertificates {
            // Instead of the store, not in addition: a private CA is all this peer needs.
            try set(CURLOPT_CAINFO_BLOB, blob: Array(caCertificates.utf8))
            // A connection verified against one caller's CA must never carry another
            // caller's exchange: libcurl does not compare CAs before reusing a STARTTLS
            // connection (measured with 7.88), so these exchanges get a connection of
            // their own and close it afterwards. Private CAs are rare; the cost is small.
            try set(CURLOPT_FRESH_CONNECT, 1)
            try set(CURLOPT_FORBID_REUSE, 1)
        } else if let caFile {
            try set(CURLOPT_CAINFO, caFile)
        }

        switch configuration.proxy.base {
        case .environment: break
        case .none: try set(CURLOPT_PROXY, "")
        case .url(let url): try set(CURLOPT_PROXY, url)
        }
    }

    /// Credentials that libcurl turns into headers: Basic, or a SigV4 signature over the
    /// finished request. User name and password are set separately (not `CURLOPT_USERPWD`)
    /// so a colon in a secret cannot split it in the wrong place.
    private func setAuthentication(_ authentication: HTTPAuthentication) throws(CurlTransportError) {
        switch authentication.base {
        case .basic(let username, let password):
            // CURLAUTH_BASIC, a macro with a cast that Swift does not import.
            try set(CURLOPT_HTTPAUTH, 1)
            try set(CURLOPT_USERNAME, username)
            try set(CURLOPT_PASSWORD, password)
        case .awsSigV4(let provider, let accessKeyID, let secretAccessKey):
            try set(CURLOPT_AWS_SIGV4, provider)
            try set(CURLOPT_USERNAME, accessKeyID)
            try set(CURLOPT_PASSWORD, secretAccessKey)
        }
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

    private static func headerLines(of request: HTTPRequest) -> [HeaderLine] {
        var lines: [HeaderLine] = []
        lines.reserveCapacity(request.headers.count + 2)
        var hasExpect = false
        var hasContentType = false
        for field in request.headers {
            // "name:" would tell libcurl to remove the header; "name;" sends it empty.
            lines.append(HeaderLine(name: field.name, separator: field.value.isEmpty ? ";" : ": ", value: field.value))
            // Names are stored lower-cased.
            if field.name == "expect" { hasExpect = true } else if field.name == "content-type" { hasContentType = true }
        }
        // libcurl's SigV4 (7.88) signs every line of this list, removals
        // included, so a removal line would be signed but never sent and the
        // server would compute another signature. Signed requests therefore
        // carry only real fields; libcurl adds Expect only above 1 MiB.
        if case .awsSigV4? = request.authentication?.base { return lines }
        // libcurl adds "Expect: 100-continue" to larger bodies and then waits
        // up to a second for a 100 that many API servers never send.
        if !hasExpect {
            lines.append(HeaderLine(name: "Expect", separator: ":", value: ""))
        }
        // libcurl labels every POST body as a form; better no label than a wrong one.
        if !hasContentType {
            lines.append(HeaderLine(name: "Content-Type", separator: ":", value: ""))
        }
        return lines
    }

    /// A timeout in whole milliseconds, at least 1 because 0 means "never" to libcurl.
    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let total = seconds.multipliedReportingOverflow(by: 1000)
        guard !total.overflow else { return Int.max }
        return max(1, Int(total.partialValue) + Int(attoseconds / 1_000_000_000_000_000))
    }
}
