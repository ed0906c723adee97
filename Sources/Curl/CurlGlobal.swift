import CCurl

/// libcurl's process-wide initialisation.
///
/// `curl_global_init` must run once, before any other libcurl call and
/// before threads start using libcurl; the C shim guards it with
/// `pthread_once`, so calling ``ensureInitialized()`` from every entry point
/// is cheap and safe. The matching `curl_global_cleanup` is never called:
/// the state lives as long as the process.
enum CurlGlobal {
    /// Runs `curl_global_init` if no one has yet; traps if libcurl cannot
    /// initialise, because nothing in this module can work without it.
    static func ensureInitialized() {
        let result = ccurl_global_init()
        precondition(result == CURLE_OK, "curl_global_init failed with code \(result.rawValue)")
    }
}
