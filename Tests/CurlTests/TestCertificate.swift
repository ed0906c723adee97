import Foundation

/// A throw-away self-signed certificate for 127.0.0.1, made with the openssl CLI.
struct TestCertificate: Sendable {
    let directory: URL

    var certificatePath: String { directory.appendingPathComponent("cert.pem").path }
    var keyPath: String { directory.appendingPathComponent("key.pem").path }

    /// Generates a fresh key and certificate (EC keys: fast to make).
    static func make() async throws -> TestCertificate {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curl-test-tls-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try await runCommand(
            [
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ],
            in: directory
        )
        return TestCertificate(directory: directory)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
