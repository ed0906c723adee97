import CCurl

/// URL inspection with libcurl's own parser, so we read a URL exactly as
/// libcurl will when it sends the request.
enum CurlURL {
    /// The host part of `url` (no scheme, credentials, port or path), or nil.
    static func host(of url: String) -> String? {
        guard let handle = curl_url() else { return nil }
        defer { curl_url_cleanup(handle) }
        // Accept any scheme: the host of an ftp:// URL is still worth reporting.
        guard curl_url_set(handle, CURLUPART_URL, url, UInt32(CURLU_NON_SUPPORT_SCHEME)) == CURLUE_OK else {
            return nil
        }
        var part: UnsafeMutablePointer<CChar>?
        guard curl_url_get(handle, CURLUPART_HOST, &part, 0) == CURLUE_OK, let part else { return nil }
        defer { curl_free(part) }
        return String(cString: part)
    }
}
