import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TuttiTestSupport

/// One of Tutti's executables, started as a real process for a test, with its output captured.
final class SpawnedProcess: @unchecked Sendable {
    let process = Process()
    private let output = Pipe()
    private let lock = NSLock()
    private var captured = Data()

    /// The folder the package's executables are built in (next to the test bundle).
    static let binDirectory: URL = {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("tutti-api").path) { return url }
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug")
    }()

    init(_ name: String, arguments: [String] = [], environment: [String: String]) throws {
        let executable = Self.binDirectory.appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw TestSetupError("\(executable.path) is missing: build first (ops/test runs `swift build --build-tests`)")
        }
        process.executableURL = executable
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { _, new in new }
        process.environment = merged
        process.standardOutput = output
        process.standardError = output
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.captured.append(data) }
        }
        try process.run()
    }

    var text: String { lock.withLock { String(decoding: captured, as: UTF8.self) } }

    /// Waits for the process to exit, up to `timeout`; returns its status, or nil if it is still running.
    func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
        // Let the pipe drain the last lines.
        try? await Task.sleep(for: .milliseconds(50))
        return process.terminationStatus
    }

    func terminate() { if process.isRunning { kill(process.processIdentifier, SIGTERM) } }

    func kill9() { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

    deinit { kill9() }
}

/// Free TCP ports on 127.0.0.1 for spawned servers.
func freePorts(_ count: Int) throws -> [Int] {
    var sockets: [Int32] = []
    defer { sockets.forEach { close($0) } }
    return try (0..<count).map { _ in
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw TestSetupError("cannot find a free port") }
        sockets.append(fd)
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// GETs `url` and returns the status code, or nil when nothing answers.
func httpStatus(_ url: String) async -> Int? {
    var request = URLRequest(url: URL(string: url)!)
    request.timeoutInterval = 2
    guard let (_, response) = try? await URLSession.shared.data(for: request) else { return nil }
    return (response as? HTTPURLResponse)?.statusCode
}

/// Polls `url` until it answers 200 or `timeout` passes.
func waitUntilReady(_ url: String, timeout: Duration = .seconds(30)) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await httpStatus(url) == 200 { return true }
        try? await Task.sleep(for: .milliseconds(100))
    }
    return false
}
