import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TuttiTestSupport

/// The Python side of ``SegmentLibraryTests``: Segment's own `segment-analytics-python`
/// configured as its documentation says, pointed at a running `tutti-api`.
///
/// Arguments: `host write_key user_id anonymous_id message_id email`. Three phases, each ended
/// by `analytics.flush()` (which returns once the background thread has posted everything):
/// an anonymous visit; identify, track (explicit `message_id`), page and alias; the same track
/// replayed. A `requests` response hook on the library's session records what went over the
/// wire (URL, status, answer, `Content-Encoding`, authorization scheme); the last line printed
/// is `SUMMARY {json}`. Any `on_error` callback or non-2xx answer makes it exit 1.
enum SegmentLibraryScript {
    static let source = #"""
        import json
        import logging
        import sys

        import segment.analytics as analytics
        from segment.analytics import request as segment_request
        from segment.analytics.version import VERSION

        host, write_key, user_id, anonymous_id, message_id, email = sys.argv[1:7]
        logging.basicConfig(stream=sys.stderr, level=logging.WARNING)

        errors = []
        phases = []


        def on_error(error, batch):
            errors.append(str(error))
            print("on_error: %s (%d message(s) not delivered)" % (error, len(batch)), flush=True)


        def record(response, *args, **kwargs):
            sent = response.request
            try:
                body = response.json()
            except ValueError:
                body = response.text
            phases[-1].append({
                "method": sent.method,
                "url": sent.url,
                "status": response.status_code,
                "body": body,
                "content_encoding": sent.headers.get("Content-Encoding"),
                "authorization": sent.headers.get("Authorization", "").split(" ")[0],
            })


        # The library posts through one module-level requests.Session; listen to its answers.
        segment_request._session.hooks["response"].append(record)

        analytics.write_key = write_key
        analytics.host = host
        analytics.on_error = on_error
        analytics.sync_mode = False  # the default: a background thread batches and posts
        analytics.max_retries = 2  # fail within seconds instead of retrying for minutes


        def phase(send):
            phases.append([])
            send()
            analytics.flush()


        order = {"order_id": "o-1001", "revenue": 42.5, "currency": "EUR"}
        phase(lambda: analytics.track(anonymous_id=anonymous_id, event="Viewed Pricing", properties={"plan": "pro"}))


        def signed_up():
            analytics.identify(user_id, {"email": email, "name": "Ada Lovelace", "plan": "enterprise"})
            analytics.track(user_id, "Order Completed", order, message_id=message_id)
            analytics.page(user_id, category="Docs", name="Getting Started", properties={"url": "https://example.com/docs"})
            analytics.alias(previous_id=anonymous_id, user_id=user_id)


        phase(signed_up)
        phase(lambda: analytics.track(user_id, "Order Completed", order, message_id=message_id))
        analytics.shutdown()

        print("SUMMARY " + json.dumps({"library": VERSION, "errors": errors, "phases": phases}), flush=True)
        failed = [r for p in phases for r in p if not 200 <= r["status"] < 300]
        sys.exit(1 if errors or failed or any(not p for p in phases) else 0)
        """#
}

/// Runs `executable` until it exits or `timeout` passes (then kills it); returns its status
/// (nil when killed) and everything it printed on standard output and error.
func runToCompletion(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:], timeout: Duration
) async throws -> (status: Int32?, output: String) {
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("tutti-run-\(UUID().uuidString).log")
    guard FileManager.default.createFile(atPath: log.path, contents: nil) else { throw TestSetupError("cannot create \(log.path)") }
    defer { try? FileManager.default.removeItem(at: log) }
    let handle = try FileHandle(forWritingTo: log)
    defer { try? handle.close() }

    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    let deadline = ContinuousClock.now + timeout
    while process.isRunning, ContinuousClock.now < deadline {
        try? await Task.sleep(for: .milliseconds(50))
    }
    var status: Int32?
    if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    } else {
        status = process.terminationStatus
    }
    let output = String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self)
    return (status, output)
}

/// GETs `url` with `authorization` and returns the status and the JSON object answered.
func getJSON(_ url: String, authorization: String) async throws -> (status: Int, json: [String: Any]) {
    var request = URLRequest(url: URL(string: url)!)
    request.timeoutInterval = 10
    request.setValue(authorization, forHTTPHeaderField: "Authorization")
    let (data, response) = try await URLSession.shared.data(for: request)
    let status = (response as? HTTPURLResponse)?.statusCode ?? 0
    guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw TestSetupError("GET \(url) answered \(status) with no JSON object: \(String(decoding: data, as: UTF8.self))")
    }
    return (status, json)
}
