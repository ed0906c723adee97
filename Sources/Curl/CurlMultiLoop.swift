import CCurl
import Foundation

/// The body of the transport's driving thread: owns the multi handle, the
/// easy handles and the transfers in flight. Never leaves that thread (see
/// ``CurlMultiDriver`` for the design).
final class CurlMultiLoop {
    /// Who waits for a transfer: a caller of its own, or a place in a batch.
    private enum Owner {
        case single(CurlMultiDriver.Submission)
        case batch(RunningBatch, index: Int)
    }

    /// A batch being worked through: its requests start as earlier ones finish, so that at
    /// most `concurrency` are in flight, and its caller is resumed once all have answered.
    private final class RunningBatch {
        let submission: CurlMultiDriver.BatchSubmission
        var results: [Result<CompletedExchange, CurlTransportError>?]
        var next = 0
        var inFlight = 0
        var answered = 0

        init(_ submission: CurlMultiDriver.BatchSubmission) {
            self.submission = submission
            results = Array(repeating: nil, count: submission.requests.count)
        }

        var isComplete: Bool { answered == results.count }
    }

    /// A request that libcurl is working on.
    private struct Transfer {
        let exchange: CurlExchange
        let owner: Owner
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
    private var batches: [UInt64: RunningBatch] = [:]
    private var idleHandles: [CurlEasyHandle] = []

    init(driver: CurlMultiDriver, multi: UnsafeMutableRawPointer, configuration: CurlTransport.Configuration) {
        self.driver = driver
        self.multi = multi
        var configuration = configuration
        if configuration.proxy == .environment, !Self.environmentNamesAProxy() {
            configuration.proxy = .none
        }
        self.configuration = configuration
        httpProtocols = configuration.allowedProtocols.intersection(["http", "https"]).sorted().joined(separator: ",")
        mailProtocols = configuration.allowedProtocols.intersection(["smtp", "smtps"]).sorted().joined(separator: ",")
    }

    /// Whether any variable that libcurl reads for a proxy is set: `<scheme>_proxy` in lower
    /// case, then in upper case for every scheme but http, then `all_proxy`/`ALL_PROXY`.
    private static func environmentNamesAProxy() -> Bool {
        let names: [String] = ["http_proxy", "https_proxy", "HTTPS_PROXY", "smtp_proxy", "SMTP_PROXY", "smtps_proxy", "SMTPS_PROXY", "all_proxy", "ALL_PROXY"]
        return names.contains { ProcessInfo.processInfo.environment[$0] != nil }
    }

    /// Runs until the driver is told to stop, then releases libcurl.
    func run() {
        // Named from inside: Foundation only passes a name to the OS thread
        // (for `top -H`, gdb, /proc) when it is set on the current thread.
        Thread.current.name = CurlTransport.threadName
        while true {
            let inbox = driver.takeInbox()
            if inbox.stopping {
                shutDown(failing: inbox)
                return
            }
            for submission in inbox.submissions {
                if let failure = start(submission.exchange, for: .single(submission)) { submission.continuation.resume(returning: .failure(failure)) }
            }
            for submission in inbox.batches { startBatch(submission) }
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

    /// Starts one exchange; returns why it could not start, for the owner to be told.
    private func start(_ exchange: CurlExchange, for owner: Owner) -> CurlTransportError? {
        if let problem = exchange.invalidity {
            return CurlTransportError(code: .invalidRequest, message: problem, host: CurlURL.host(of: exchange.url))
        }
        let handle = idleHandles.popLast() ?? CurlEasyHandle()
        let collector = ResponseCollector(limit: configuration.maximumResponseBodySize)
        var upload: UploadSource?
        do throws(CurlTransportError) {
            switch exchange {
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
            error.host = CurlURL.host(of: exchange.url)
            return error
        }
        let status = curl_multi_add_handle(multi, handle.raw)
        guard status == CURLM_OK else {
            recycle(handle)
            return CurlTransportError(
                code: .other, message: "curl_multi_add_handle failed: \(String(cString: curl_multi_strerror(status)))",
                host: CurlURL.host(of: exchange.url))
        }
        transfers[handle.raw] = Transfer(exchange: exchange, owner: owner, handle: handle, collector: collector, upload: upload)
        return nil
    }

    private func startBatch(_ submission: CurlMultiDriver.BatchSubmission) {
        let batch = RunningBatch(submission)
        batches[submission.id] = batch
        fill(batch)
    }

    /// Starts a batch's waiting requests up to its concurrency; resumes its caller once
    /// every request has answered.
    private func fill(_ batch: RunningBatch) {
        let requests = batch.submission.requests
        while batch.inFlight < batch.submission.concurrency, batch.next < requests.count {
            let index = batch.next
            batch.next += 1
            if let failure = start(.http(requests[index]), for: .batch(batch, index: index)) {
                batch.results[index] = .failure(failure)
                batch.answered += 1
            } else {
                batch.inFlight += 1
            }
        }
        if batch.isComplete {
            batches[batch.submission.id] = nil
            batch.submission.continuation.resume(returning: batch.results.map { $0! })
        }
    }

    private func answer(_ owner: Owner, with result: Result<CompletedExchange, CurlTransportError>) {
        switch owner {
        case .single(let submission):
            submission.continuation.resume(returning: result)
        case .batch(let batch, let index):
            batch.results[index] = result
            batch.answered += 1
            batch.inFlight -= 1
            fill(batch)
        }
    }

    /// libcurl refuses an empty protocol list with a vague error; say what is wrong instead.
    private static func require(_ protocols: String, for url: String) throws(CurlTransportError) {
        guard protocols.isEmpty else { return }
        throw CurlTransportError(code: .protocolNotAllowed, message: "the transport's configuration allows no scheme for this kind of exchange")
    }

    private func cancel(_ id: UInt64) {
        if let batch = batches[id] {
            // Linear, but cancellations are rare and the table is small.
            for (key, transfer) in transfers {
                guard case .batch(let owner, let index) = transfer.owner, owner === batch else { continue }
                transfers[key] = nil
                curl_multi_remove_handle(multi, key)
                batch.results[index] = .failure(Self.cancelled(transfer.exchange))
                batch.answered += 1
                batch.inFlight -= 1
                recycle(transfer.handle)
            }
            for index in batch.next..<batch.results.count {
                batch.results[index] = .failure(Self.cancelled(.http(batch.submission.requests[index])))
                batch.answered += 1
            }
            batch.next = batch.results.count
            fill(batch)
            return
        }
        let match = transfers.first { entry in
            if case .single(let submission) = entry.value.owner { submission.id == id } else { false }
        }
        guard let (key, transfer) = match, case .single(let submission) = transfer.owner else { return }
        transfers[key] = nil
        curl_multi_remove_handle(multi, key)
        submission.fail(.cancelled, "the task was cancelled")
        recycle(transfer.handle)
    }

    private static func cancelled(_ exchange: CurlExchange) -> CurlTransportError {
        CurlTransportError(code: .cancelled, message: "the task was cancelled", host: CurlURL.host(of: exchange.url))
    }

    private func collectFinished() {
        var easy: UnsafeMutableRawPointer?
        var result = CURLE_OK
        while ccurl_multi_next_done(multi, &easy, &result) == 1 {
            guard let easy, let transfer = transfers.removeValue(forKey: easy) else { continue }
            curl_multi_remove_handle(multi, easy)
            let outcome = outcome(of: transfer, result)
            recycle(transfer.handle)
            answer(transfer.owner, with: outcome)
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
                host: CurlURL.host(of: transfer.exchange.url)
            )
            if case .mail = transfer.exchange {
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
        if handle.postProfile != nil { handle.keepForAnotherPost() } else { handle.reset() }
        if idleHandles.count < Self.idleHandleLimit { idleHandles.append(handle) }
    }

    /// Fails everything outstanding, then frees easy handles before the multi
    /// handle, the order libcurl requires.
    private func shutDown(failing inbox: CurlMultiDriver.Inbox) {
        for submission in inbox.submissions { submission.fail(.shutdown, "the transport has been shut down") }
        for batch in inbox.batches { batch.fail(.shutdown, "the transport has been shut down") }
        for (easy, transfer) in transfers {
            curl_multi_remove_handle(multi, easy)
            if case .single(let submission) = transfer.owner { submission.fail(.shutdown, "the transport has been shut down") }
        }
        for batch in batches.values {
            let requests = batch.submission.requests
            batch.submission.continuation.resume(
                returning: batch.results.indices.map { index in
                    batch.results[index] ?? .failure(
                        CurlTransportError(code: .shutdown, message: "the transport has been shut down", host: CurlURL.host(of: requests[index].url)))
                })
        }
        batches = [:]
        transfers = [:]
        idleHandles = []
        curl_multi_cleanup(multi)
        driver.markStopped()
    }
}
