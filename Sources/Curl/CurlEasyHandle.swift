import CCurl

/// Owns one libcurl easy handle and everything libcurl borrows from us while
/// it is in use: string lists (headers, mail recipients) and the error buffer.
///
/// Not Sendable: libcurl handles must not be used from two threads at once,
/// so each instance lives on the transport's driving thread. The handle is
/// reused for many requests (``reset()`` between them) because creating one
/// costs allocations; connections themselves are cached by the multi handle.
final class CurlEasyHandle {
    /// The `CURL *` for libcurl calls. Valid until this object is deinitialised.
    let raw: UnsafeMutableRawPointer
    /// The lists set with ``setList(_:_:)`` (`CURLOPT_MAIL_RCPT`), by
    /// option; libcurl reads them during the transfer without copying, so they are freed only
    /// after ``reset()`` or in deinit.
    private var lists: [UInt32: UnsafeMutablePointer<curl_slist>] = [:]
    /// The request header lines (`CURLOPT_HTTPHEADER`) as one ``HeaderLineBlock``, kept alive
    /// like the lists.
    private var headerBlock: UnsafeMutableRawPointer?
    /// libcurl writes a human-readable failure reason here (`CURLOPT_ERRORBUFFER`).
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// The options of a plain POST that the handle still holds from its last request, or nil
    /// when it was reset (see ``HTTPPostProfile``).
    var postProfile: HTTPPostProfile?

    init() {
        CurlGlobal.ensureInitialized()
        guard let raw = curl_easy_init() else {
            fatalError("curl_easy_init failed (out of memory)")
        }
        self.raw = raw
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(raw)
        for list in lists.values { curl_slist_free_all(list) }
        headerBlock?.deallocate()
        errorBuffer.deallocate()
    }

    /// Returns every option to its default so the next request inherits
    /// nothing; live connections stay in the multi handle's cache.
    func reset() {
        curl_easy_reset(raw)
        for list in lists.values { curl_slist_free_all(list) }
        lists = [:]
        headerBlock?.deallocate()
        headerBlock = nil
        errorBuffer[0] = 0
        postProfile = nil
    }

    /// Readies a handle whose last request was a plain POST for another with the same
    /// ``HTTPPostProfile``: its options stay, and the next request sets only its own URL,
    /// body and headers. The error buffer is cleared because libcurl only writes it on failure.
    func keepForAnotherPost() {
        errorBuffer[0] = 0
    }

    /// libcurl's explanation of the last failure, or nil if it left none.
    var errorMessage: String? {
        errorBuffer[0] == 0 ? nil : String(cString: errorBuffer)
    }
}

extension CurlEasyHandle {
    /// Sets a `long` option.
    func set(_ option: CURLoption, _ value: Int) throws(CurlTransportError) {
        try check(ccurl_setopt_long(raw, option, value), option)
    }

    /// Sets a `curl_off_t` option.
    func set(_ option: CURLoption, offset value: Int64) throws(CurlTransportError) {
        try check(ccurl_setopt_off_t(raw, option, curl_off_t(value)), option)
    }

    /// Sets a string option; libcurl copies the string (all but `CURLOPT_POSTFIELDS`).
    func set(_ option: CURLoption, _ value: String) throws(CurlTransportError) {
        try check(value.withCString { ccurl_setopt_string(raw, option, $0) }, option)
    }

    /// Sets a blob option; libcurl copies the bytes.
    func set(_ option: CURLoption, blob value: [UInt8]) throws(CurlTransportError) {
        try check(value.withUnsafeBytes { ccurl_setopt_blob(raw, option, $0.baseAddress, $0.count) }, option)
    }

    /// Sets a pointer option; the caller keeps the pointee alive as libcurl requires.
    func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) throws(CurlTransportError) {
        try check(ccurl_setopt_pointer(raw, option, value), option)
    }

    /// Points libcurl at our error buffer, cleared first.
    func attachErrorBuffer() throws(CurlTransportError) {
        errorBuffer[0] = 0
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
    }

    /// Replaces the request header lines, keeping them alive until they are replaced again or
    /// the handle is reset.
    func setHeaderLines(_ lines: [HeaderLine]) throws(CurlTransportError) {
        let (block, first) = HeaderLineBlock.make(lines)
        let status = ccurl_setopt_slist(raw, CURLOPT_HTTPHEADER, first)
        // Only swap blocks once libcurl points at the new one.
        guard status == CURLE_OK else {
            block.deallocate()
            try check(status, CURLOPT_HTTPHEADER)
            return
        }
        headerBlock?.deallocate()
        headerBlock = block
    }

    /// Sets a `struct curl_slist *` option, keeping the list alive until the next ``reset()``.
    func setList(_ option: CURLoption, _ lines: [String]) throws(CurlTransportError) {
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines {
            guard let appended = curl_slist_append(list, line) else {
                curl_slist_free_all(list)
                throw CurlTransportError(code: .other, message: "curl_slist_append failed (out of memory)")
            }
            list = appended
        }
        let status = ccurl_setopt_slist(raw, option, list)
        // Only swap lists once libcurl points at the new one.
        guard status == CURLE_OK else {
            curl_slist_free_all(list)
            try check(status, option)
            return
        }
        curl_slist_free_all(lists[option.rawValue])
        lists[option.rawValue] = list
    }

    /// Reads a `long` result, 0 if libcurl has none.
    func info(_ info: CURLINFO) -> Int {
        var value = 0
        return ccurl_getinfo_long(raw, info, &value) == CURLE_OK ? value : 0
    }

    /// Reads a microsecond `*_TIME_T` result as a Duration.
    func duration(_ info: CURLINFO) -> Duration {
        var value: curl_off_t = 0
        return ccurl_getinfo_off_t(raw, info, &value) == CURLE_OK ? .microseconds(value) : .zero
    }

    private func check(_ status: CURLcode, _ option: CURLoption) throws(CurlTransportError) {
        guard status != CURLE_OK else { return }
        throw CurlTransportError(
            code: status == CURLE_UNSUPPORTED_PROTOCOL ? .protocolNotAllowed : .other,
            curlCode: Int(status.rawValue),
            message: "setting option \(option.rawValue) failed: \(String(cString: curl_easy_strerror(status)))"
        )
    }
}
