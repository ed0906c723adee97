import Foundation
import Synchronization

/// Why a stand-in could not be started or did not answer.
public struct StandInError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// A Python program run as a test peer, speaking JSON lines on its standard output: the
/// first line says it is ready (and on which port), each later line reports something it
/// saw. Standard error is kept for failure messages.
///
/// The interpreter is the one `ops/test` exports as `TUTTI_TEST_PYTHON` (a virtual
/// environment with ops/test-requirements.txt), because the peers are the real libraries:
/// standardwebhooks, aiosmtpd, moto.
public final class PythonPeer: Sendable {
    private struct Output {
        var lines: [String] = []
        var partial = Data()
        var errors = Data()
        var ended = false
    }

    private let process: Process
    private let output = Mutex(Output())
    private let exited: AsyncStream<Void>

    /// The interpreter from `TUTTI_TEST_PYTHON`; throws with instructions when unset.
    public static func interpreter() throws -> String {
        guard let python = ProcessInfo.processInfo.environment["TUTTI_TEST_PYTHON"], !python.isEmpty else {
            throw StandInError(
                "TUTTI_TEST_PYTHON is not set: run the tests with ops/test, which makes a Python virtual environment "
                    + "from ops/test-requirements.txt (standardwebhooks, aiosmtpd, moto[server]) and exports its python")
        }
        return python
    }

    /// Starts `script` with `arguments` and waits for its first line.
    public static func start(
        script: String, arguments: [String] = [], environment: [String: String] = [:], timeout: Duration = .seconds(30)
    ) async throws -> (peer: PythonPeer, ready: [String: Any]) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tutti-standin-\(UUID().uuidString).py")
        try script.write(to: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try interpreter())
        process.arguments = [file.path] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"].merging(environment) { $1 }) { $1 }
        let peer = PythonPeer(process: process)
        try peer.launch()
        // The interpreter has read the script once it prints; the file is not needed after.
        defer { try? FileManager.default.removeItem(at: file) }
        let first = try await peer.waitForLines(1, timeout: timeout)[0]
        guard let ready = try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any] else {
            peer.stop()
            throw StandInError("the stand-in's first line is not a JSON object: \(first)")
        }
        return (peer, ready)
    }

    private init(process: Process) {
        self.process = process
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        exited = stream
        process.terminationHandler = { _ in continuation.finish() }
    }

    private func launch() throws {
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Reading a pipe blocks: one plain thread per stream, never the cooperative pool.
        Thread { [self] in
            while true {
                let chunk = stdout.fileHandleForReading.availableData
                let done = self.output.withLock { state -> Bool in
                    if chunk.isEmpty { state.ended = true; return true }
                    state.partial.append(chunk)
                    while let newline = state.partial.firstIndex(of: UInt8(ascii: "\n")) {
                        state.lines.append(String(decoding: state.partial[state.partial.startIndex..<newline], as: UTF8.self))
                        state.partial = Data(state.partial[(newline + 1)...])
                    }
                    return false
                }
                if done { return }
            }
        }.start()
        Thread { [self] in
            while true {
                let chunk = stderr.fileHandleForReading.availableData
                if chunk.isEmpty { return }
                self.output.withLock { $0.errors.append(chunk) }
            }
        }.start()
    }

    /// Every line so far, the ready line included.
    public var lines: [String] { output.withLock { $0.lines } }

    /// What the peer wrote to standard error, for failure messages.
    public var errorText: String { output.withLock { String(decoding: $0.errors, as: UTF8.self) } }

    /// Waits until at least `count` lines have arrived and returns them all.
    public func waitForLines(_ count: Int, timeout: Duration = .seconds(15)) async throws -> [String] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let (lines, ended) = output.withLock { ($0.lines, $0.ended) }
            if lines.count >= count { return lines }
            if ended || ContinuousClock.now > deadline {
                throw StandInError("expected \(count) lines from the stand-in, got \(lines.count)\(ended ? " before it exited" : "") \n\(lines.joined(separator: "\n"))\n--- stderr:\n\(errorText)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The JSON objects reported after the ready line, waiting for at least `count`.
    public func reports(atLeast count: Int, timeout: Duration = .seconds(15)) async throws -> [[String: Any]] {
        try await waitForLines(count + 1, timeout: timeout).dropFirst().map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw StandInError("the stand-in reported a line that is not a JSON object: \(line)")
            }
            return object
        }
    }

    /// Kills the peer (SIGKILL: the test runner may block SIGTERM for its children).
    public func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Kills the peer and waits until it has exited.
    public func stopAndWait() async {
        stop()
        for await _ in exited {}
    }
}

/// Runs `body` with a started peer and stops the peer however `body` ends.
public func withPythonPeer<T>(
    script: String, arguments: [String] = [], environment: [String: String] = [:],
    _ body: (PythonPeer, [String: Any]) async throws -> T
) async throws -> T {
    let (peer, ready) = try await PythonPeer.start(script: script, arguments: arguments, environment: environment)
    do {
        let result = try await body(peer, ready)
        await peer.stopAndWait()
        return result
    } catch {
        await peer.stopAndWait()
        throw error
    }
}
