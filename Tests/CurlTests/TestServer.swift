import Foundation

/// A running copy of ``testServerScript`` on 127.0.0.1.
struct TestServer: Sendable {
    let port: Int
    let scheme: String

    /// An absolute URL on this server, e.g. `url("/echo")`.
    func url(_ path: String) -> String {
        "\(scheme)://127.0.0.1:\(port)\(path)"
    }
}

enum TestServerError: Error {
    case noPort(output: String)
    case commandFailed(String, status: Int32)
}

/// Starts the Python server (HTTPS when `certificate` is given), runs `body`,
/// and terminates the server however `body` ends.
func withTestServer<T>(
    certificate: TestCertificate? = nil,
    _ body: (TestServer) async throws -> T
) async throws -> T {
    let script = FileManager.default.temporaryDirectory.appendingPathComponent("curl-test-server-\(UUID()).py")
    try testServerScript.write(to: script, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: script) }

    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script.path] + (certificate.map { [$0.certificatePath, $0.keyPath] } ?? [])
    let output = Pipe()
    process.standardOutput = output
    let exited = exitSignal(of: process)
    try process.run()

    do {
        // The server prints its port once it is listening.
        let line = try await firstLine(of: output.fileHandleForReading)
        guard let port = Int(line) else { throw TestServerError.noPort(output: line) }
        let result = try await body(TestServer(port: port, scheme: certificate == nil ? "http" : "https"))
        await stop(process, exited)
        return result
    } catch {
        await stop(process, exited)
        throw error
    }
}

/// Kills the server. SIGKILL rather than `terminate()`'s SIGTERM: the child
/// inherits the test runner's signal mask, in which SIGTERM may be blocked.
private func stop(_ process: Process, _ exited: ExitSignal) async {
    kill(process.processIdentifier, SIGKILL)
    await exited.wait()
}

/// Runs a command to completion, throwing if it exits non-zero.
func runCommand(_ arguments: [String], in directory: URL? = nil) async throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    let exited = exitSignal(of: process)
    try process.run()
    await exited.wait()
    guard process.terminationStatus == 0 else {
        throw TestServerError.commandFailed(arguments.joined(separator: " "), status: process.terminationStatus)
    }
}

/// Resolves when the process exits; `waitUntilExit` would block a cooperative thread.
struct ExitSignal: Sendable {
    let stream: AsyncStream<Void>

    func wait() async {
        for await _ in stream {}
    }
}

private func exitSignal(of process: Process) -> ExitSignal {
    let (stream, continuation) = AsyncStream<Void>.makeStream()
    process.terminationHandler = { _ in continuation.finish() }
    return ExitSignal(stream: stream)
}

/// Reads up to the first newline on a thread of its own, because reading a
/// pipe blocks.
private func firstLine(of handle: FileHandle) async throws -> String {
    try await withCheckedThrowingContinuation { continuation in
        Thread {
            var data = Data()
            while true {
                let chunk = handle.availableData
                if let newline = (data + chunk).firstIndex(of: UInt8(ascii: "\n")) {
                    data.append(chunk)
                    return continuation.resume(returning: String(decoding: data[..<newline], as: UTF8.self))
                }
                if chunk.isEmpty {
                    return continuation.resume(throwing: TestServerError.noPort(output: String(decoding: data, as: UTF8.self)))
                }
                data.append(chunk)
            }
        }.start()
    }
}

/// A loopback port with nothing listening: bound by the kernel's choice, then released.
func closedPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw TestServerError.noPort(output: "bind failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}
