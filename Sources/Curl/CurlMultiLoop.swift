import CCurl
import Foundation

/// The body of the transport's driving thread: owns the multi handle, the
/// easy handles and the transfers in flight. Never leaves that thread (see
/// ``CurlMultiDriver`` for the design).
final class CurlMultiLoop {
    /// A request that libcurl is working on.
    private struct Transfer {
        let submission: CurlMultiDriver.Submission
        let handle: CurlEasyHandle
        let collector: ResponseCollector
        /// The mail being uploaded, kept alive here because libcurl's read callback borrows it.
        let upload: UploadSource?
    }

    /// Reused easy handles kept beyond this would only hold memory.
    private static let idleHandleLimit = 128
    /// The longest `curl_multi_poll` sleeps; libcurl shortens it to its own
    /// next timeout, and wake-ups end it early, so this only bounds how stale
    /// a missed signal could get.
    private static let pollMilliseconds: Int32 = 1000

    private let driver: CurlMultiDriver
    private let multi: UnsafeMutableRawPointer
    private let configuration: CurlTransport.Configuration
    /// The allowed HTTP schemes in libcurl's syntax, worked out once.
    private let httpProtocols: String
    /// The allowed mail schemes in libcurl's syntax, worked out once.
    private let mailProtocols: String
    private var transfers: [UnsafeMutableRawPointer: Transfer] = [:]
    private var idleHandles: [CurlEasyHandle] = []

    init(driver: CurlMultiDriver, multi: UnsafeMutableRawPointer, configuration: CurlTransport.Configuration) {
        self.driver = driver
        self.multi = multi
        self.configuration = configuration
        httpProtocols = configuration.allowedProtocols.intersection(["http", "https"]).sorted().joined(separator: ",")
        mailProtocols = configuration.allowedProtocols.intersection(["smtp", "smtps"]).sorted().joined(separator: ",")
    }

    /// Runs until the driver is told to stop, then releases libcurl.
    func run() {
        // Named from inside: Foundation only passes a name to the OS thread
        // (for `top -H`, gdb, /proc) when it is set on the current thread.
        Thread.current.name = CurlTransport.threadName
        while true {
            let inbox = driver.takeInbox()
            if inbox.stopping {
                shutDown(failing: inbox.submissions)
                return
            }
            for submission in inbox.submissions { start(submission) }
            for id in inbox.cancellations { cancel(id) }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            collectFinished()
            if curl_multi_poll(multi, nil, 0, Self.pollMilliseconds, nil) != CURLM_OK {
                // Only on internal failure; pause rather than spin a core.
                usleep(1000)
            }
        }
    }

    private func start(_ submission: CurlMultiDriver.Submission) {
        if let problem = submission.exchange.invalidity {
            return submission.fail(.invalidRequest, problem)
        }
        let handle = idleHandles.popLast() ?? CurlEasyHandle()
        let collector = ResponseCollector(limit: configuration.maximumResponseBodySize)
        var upload: UploadSource?
        do throws(CurlTransportError) {
            switch submission.exchange {
            case .http(let request):
                try Self.require(httpProtocols, for: request.url)
                try handle.prepare(for: request, configuration: configuration, protocols: httpProtocols, collector: collector)
            case .mail(let message):
                try Self.require(mailProtocols, for: message.url)
                let source = UploadSource(message.data)
                upload = source
                try handle.prepare(for: message, configuration: configuration, protocols: mailProtocols, collector: collector, upload: source)
            }
        } catch {
            recycle(handle)
            var error = error
            error.host = CurlURL.host(of: submission.exchange.url)
            return submission.continuation.resume(returning: .failure(error))
        }
        let status = curl_multi_add_handle(multi, handle.raw)
        guard status == CURLM_OK else {
            recycle(handle)
            return submission.fail(.other, "curl_multi_add_handle failed: \(String(cString: curl_multi_strerror(status)))")
        }
        transfers[handle.raw] = Transfer(submission: submission, handle: handle, collector: collector, upload: upload)
    }

    /// libcurl refuses an empty protocol list with a vague error; say what is wrong instead.
    private static func require(_ protocols: String, for url: String) throws(CurlTransportError) {
        guard protocols.isEmpty else { return }
        throw CurlTransportError(code: .protocolNotAllowed, message: "the transport's configuration allows no scheme for this kind of exchange")
    }

    private func cancel(_ id: UInt64) {
        // Linear, but cancellations are rare and the table is small.
        guard let (key, transfer) = transfers.first(where: { $0.value.submission.id == id }) else { return }
        transfers[key] = nil
        curl_multi_remove_handle(multi, key)
        transfer.submission.fail(.cancelled, "the task was cancelled")
        recycle(transfer.handle)
    }

    private func collectFinished() {
        var easy: UnsafeMutableRawPointer?
        var result = CURLE_OK
        while ccurl_multi_next_done(multi, &easy, &result) == 1 {
            guard let easy, let transfer = transfers.removeValue(forKey: easy) else { continue }
            curl_multi_remove_handle(multi, easy)
            transfer.submission.continuation.resume(returning: outcome(of: transfer, result))
            recycle(transfer.handle)
        }
    }

    private func outcome(of transfer: Transfer, _ result: CURLcode) -> Result<CompletedExchange, CurlTransportError> {
        let handle = transfer.handle
        guard result == CURLE_OK else {
            let tooLarge = transfer.collector.exceededLimit || result == CURLE_FILESIZE_EXCEEDED
            var error = CurlTransportError(
                code: tooLarge ? .responseTooLarge : CurlTransportError.Code(curlCode: result),
                curlCode: Int(result.rawValue),
                message: handle.errorMessage ?? String(cString: curl_easy_strerror(result)),
                host: CurlURL.host(of: transfer.submission.exchange.url)
            )
            if case .mail = transfer.submission.exchange {
                error.classifyMailRefusal(replyCode: handle.info(CURLINFO_RESPONSE_CODE), transcript: transfer.collector.headerBlock)
            }
            return .failure(error)
        }
        let timing = HTTPResponse.Timing(
            nameLookup: handle.duration(CURLINFO_NAMELOOKUP_TIME_T),
            connect: handle.duration(CURLINFO_CONNECT_TIME_T),
            tlsHandshake: handle.duration(CURLINFO_APPCONNECT_TIME_T),
            firstByte: handle.duration(CURLINFO_STARTTRANSFER_TIME_T),
            total: handle.duration(CURLINFO_TOTAL_TIME_T)
        )
        return .success(
            CompletedExchange(
                status: handle.info(CURLINFO_RESPONSE_CODE),
                headerBlock: transfer.collector.headerBlock,
                body: transfer.collector.body,
                timing: timing,
                newConnections: handle.info(CURLINFO_NUM_CONNECTS)
            )
        )
    }

    private func recycle(_ handle: CurlEasyHandle) {
        handle.reset()
        if idleHandles.count < Self.idleHandleLimit { idleHandles.append(handle) }
    }

    /// Fails everything outstanding, then frees easy handles before the multi
    /// handle, the order libcurl requires.
    private func shutDown(failing submissions: [CurlMultiDriver.Submission]) {
        for submission in submissions { submission.fail(.shutdown, "the transport has been shut down") }
        for (easy, transfer) in transfers {
            curl_multi_remove_handle(multi, easy)
            transfer.submission.fail(.shutdown, "the transport has been shut down")
        }
        transfers = [:]
        idleHandles = []
        curl_multi_cleanup(multi)
        driver.markStopped()
    }
}
