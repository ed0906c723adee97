import Foundation

/// A throw-away self-signed certificate for 127.0.0.1 and localhost, made with the openssl CLI.
public struct SelfSignedCertificate: Sendable {
    public let directory: URL

    public var certificatePath: String { directory.appendingPathComponent("cert.pem").path }
    public var keyPath: String { directory.appendingPathComponent("key.pem").path }
    /// The certificate in PEM, to trust it as its own CA.
    public var pem: String { (try? String(contentsOfFile: certificatePath, encoding: .utf8)) ?? "" }

    /// Generates a fresh key and certificate (EC keys: fast to make).
    public static func make() throws -> SelfSignedCertificate {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tutti-standin-tls-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ]
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw StandInError("openssl could not make a test certificate") }
        return SelfSignedCertificate(directory: directory)
    }

    public func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
