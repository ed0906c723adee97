import CCurl
import Foundation
import Synchronization

/// The part of the transport that callers and the driving thread share: a
/// locked inbox of new requests and cancellations, and the means to wake the
/// thread.
///
/// Concurrency design. One dedicated OS thread (see ``CurlMultiLoop``) owns
/// the libcurl multi handle and every easy handle; it blocks in
/// `curl_multi_poll`, which must never happen on Swift's cooperative pool.
/// Callers never touch libcurl objects. They append a ``Submission`` under
/// the mutex and call `curl_multi_wakeup` — the one libcurl function that is
/// safe from any thread — unless a wake-up is already pending. The thread
/// drains the whole inbox on every wake-up, so one wake-up per batch is
/// enough. The thread resumes each caller's continuation when its transfer
/// ends; the caller's task then turns the raw result into an ``HTTPResponse``.
///
/// Shutdown. ``requestStop()`` moves the phase from `running` to `stopping`
/// and wakes the thread; from then on submissions fail at once. The thread
/// fails everything in flight, frees the easy and multi handles, marks the
/// phase `stopped` and exits. `curl_multi_wakeup` is only called under the
/// lock while the phase is `running`, and the thread frees the multi handle
/// only after it has seen `stopping` under the same lock, so a wake-up can
/// never touch a freed handle.
final class CurlMultiDriver: Sendable {
    /// One caller's request waiting for the thread.
    struct Submission: Sendable {
        let id: UInt64
        let exchange: CurlExchange
        let continuation: CheckedContinuation<Result<CompletedExchange, CurlTransportError>, Never>

        func fail(_ code: CurlTransportError.Code, _ message: String) {
            let error = CurlTransportError(code: code, message: message, host: CurlURL.host(of: exchange.url))
            continuation.resume(returning: .failure(error))
        }
    }

    /// Many HTTP requests handed over at once, answered together through one continuation
    /// (``CurlTransport/send(_:concurrency:)``): one lock, one wake-up and one task switch
    /// per batch instead of per request.
    struct BatchSubmission: Sendable {
        let id: UInt64
        let requests: [HTTPRequest]
        /// How many of the batch's requests may be in flight at once.
        let concurrency: Int
        let continuation: CheckedContinuation<[Result<CompletedExchange, CurlTransportError>], Never>

        func fail(_ code: CurlTransportError.Code, _ message: String) {
            continuation.resume(
                returning: requests.map { .failure(CurlTransportError(code: code, message: message, host: CurlURL.host(of: $0.url))) })
        }
    }

    /// What the thread picks up on each wake-up.
    struct Inbox {
        var submissions: [Submission] = []
        var batches: [BatchSubmission] = []
        var cancellations: [UInt64] = []
        var stopping = false
    }

    private enum Phase { case running, stopping, stopped }

    private struct State {
        var phase = Phase.running
        var inbox = Inbox()
        var wakeupPending = false
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let nextID = Atomic<UInt64>(0)
    private let multi: MultiHandle

    /// The multi handle as a Sendable value: only `curl_multi_wakeup` is
    /// called on it off the driving thread, and only under `state`'s lock.
    private struct MultiHandle: @unchecked Sendable {
        let raw: UnsafeMutableRawPointer
    }

    /// Creates the multi handle and starts the driving thread.
    init(configuration: CurlTransport.Configuration) {
        CurlGlobal.ensureInitialized()
        guard let raw = curl_multi_init() else {
            fatalError("curl_multi_init failed (out of memory)")
        }
        ccurl_multi_setopt_long(raw, CURLMOPT_MAX_HOST_CONNECTIONS, configuration.maximumConnectionsPerHost)
        ccurl_multi_setopt_long(raw, CURLMOPT_MAXCONNECTS, configuration.maximumIdleConnections)
        let multi = MultiHandle(raw: raw)
        self.multi = multi

        let thread = Thread { [self] in
            CurlMultiLoop(driver: self, multi: multi.raw, configuration: configuration).run()
        }
        thread.start()
    }

    /// A fresh request id, known before submission so cancellation can name it.
    func makeID() -> UInt64 {
        nextID.wrappingAdd(1, ordering: .relaxed).newValue
    }

    /// Hands a request to the thread, or fails it at once if the transport is
    /// stopping or the calling task is already cancelled.
    func submit(_ submission: Submission) {
        let refusal: (CurlTransportError.Code, String)? = state.withLock { state in
            guard state.phase == .running else { return (.shutdown, "the transport has been shut down") }
            // Checked under the lock: a cancellation handler that ran before
            // this point has set the flag, one that runs after finds the
            // request in the inbox.
            if Task.isCancelled { return (.cancelled, "the task was cancelled") }
            state.inbox.submissions.append(submission)
            wake(&state)
            return nil
        }
        if let (code, message) = refusal { submission.fail(code, message) }
    }

    /// Hands a batch to the thread, or fails all of it at once if the transport is stopping or
    /// the calling task is already cancelled.
    func submit(_ batch: BatchSubmission) {
        let refusal: (CurlTransportError.Code, String)? = state.withLock { state in
            guard state.phase == .running else { return (.shutdown, "the transport has been shut down") }
            if Task.isCancelled { return (.cancelled, "the task was cancelled") }
            state.inbox.batches.append(batch)
            wake(&state)
            return nil
        }
        if let (code, message) = refusal { batch.fail(code, message) }
    }

    /// Asks the thread to abandon request or batch `id` if it is still running.
    func cancel(_ id: UInt64) {
        state.withLock { state in
            guard state.phase == .running else { return }
            state.inbox.cancellations.append(id)
            wake(&state)
        }
    }

    /// Starts shutting down without waiting; safe to call repeatedly.
    func requestStop() {
        state.withLock { state in
            guard state.phase == .running else { return }
            state.phase = .stopping
            curl_multi_wakeup(multi.raw)
        }
    }

    /// Shuts down and returns once the thread has failed every pending
    /// request and released libcurl's handles.
    func stop() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let stopped = state.withLock { state in
                if state.phase == .stopped { return true }
                state.stopWaiters.append(waiter)
                if state.phase == .running {
                    state.phase = .stopping
                    curl_multi_wakeup(multi.raw)
                }
                return false
            }
            if stopped { waiter.resume() }
        }
    }

    // MARK: Called by the driving thread

    /// Takes everything submitted since the last call.
    func takeInbox() -> Inbox {
        state.withLock { state in
            state.wakeupPending = false
            var inbox = Inbox()
            swap(&inbox, &state.inbox)
            inbox.stopping = state.phase != .running
            return inbox
        }
    }

    /// Records that the thread has released libcurl and is exiting; fails
    /// any straggling submissions and releases ``stop()`` waiters.
    func markStopped() {
        let (inbox, waiters) = state.withLock { state in
            state.phase = .stopped
            defer { state.inbox = Inbox(); state.stopWaiters = [] }
            return (state.inbox, state.stopWaiters)
        }
        for submission in inbox.submissions { submission.fail(.shutdown, "the transport has been shut down") }
        for batch in inbox.batches { batch.fail(.shutdown, "the transport has been shut down") }
        for waiter in waiters { waiter.resume() }
    }

    private func wake(_ state: inout State) {
        guard !state.wakeupPending else { return }
        state.wakeupPending = true
        curl_multi_wakeup(multi.raw)
    }
}
