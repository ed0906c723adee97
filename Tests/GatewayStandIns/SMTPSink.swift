import Foundation

/// A message the ``SMTPSink`` received, as Python's `email` package read it.
public struct ReceivedMail: @unchecked Sendable {
    public let object: [String: Any]

    public init(_ object: [String: Any]) {
        self.object = object
    }

    public var mailFrom: String { object["mail_from"] as? String ?? "" }
    public var recipients: [String] { object["rcpt_tos"] as? [String] ?? [] }
    /// The top-level content type, e.g. `multipart/alternative`.
    public var contentType: String { object["content_type"] as? String ?? "" }
    /// A header as the `email` package decodes it (encoded-words undone).
    public func header(_ name: String) -> String? {
        (object["headers"] as? [String: String])?.first { $0.key.lowercased() == name.lowercased() }?.value
    }
    /// A header exactly as it came over the wire (folded lines included).
    public func rawHeader(_ name: String) -> String? {
        (object["raw_headers"] as? [[String]])?.first { $0[0].lowercased() == name.lowercased() }?[1]
    }
    /// The leaf parts: `content_type`, `charset`, `transfer_encoding`, decoded `content`.
    public var parts: [[String: Any]] { object["parts"] as? [[String: Any]] ?? [] }
    public func part(_ contentType: String) -> [String: Any]? { parts.first { $0["content_type"] as? String == contentType } }
    /// Problems the `email` package found in the message's structure; empty for a sound one.
    public var defects: [String] { object["defects"] as? [String] ?? [] }
    public var overTLS: Bool { object["tls"] as? Bool ?? false }
    public var authenticatedUser: String? { object["auth_user"] as? String }
    public var raw: String { object["raw"] as? String ?? "" }
}

/// A running ``smtpSinkScript``.
public struct SMTPSink: Sendable {
    public let peer: PythonPeer
    public let port: Int

    /// The messages received so far, waiting until there are at least `count`.
    public func messages(atLeast count: Int = 1) async throws -> [ReceivedMail] {
        try await peer.reports(atLeast: count).map(ReceivedMail.init)
    }
}

/// Runs `body` with an aiosmtpd sink, stopped afterwards.
public func withSMTPSink<T>(
    auth: (user: String, password: String)? = nil, certificate: SelfSignedCertificate? = nil, requireStartTLS: Bool = false,
    _ body: (SMTPSink) async throws -> T
) async throws -> T {
    var configuration: [String: Any] = ["require_starttls": requireStartTLS]
    if let auth { configuration["auth"] = ["user": auth.user, "password": auth.password] }
    if let certificate {
        configuration["cert"] = certificate.certificatePath
        configuration["key"] = certificate.keyPath
    }
    let argument = String(decoding: try JSONSerialization.data(withJSONObject: configuration), as: UTF8.self)
    return try await withPythonPeer(script: smtpSinkScript, arguments: [argument]) { peer, ready in
        guard let port = ready["port"] as? Int else { throw StandInError("the SMTP sink did not report its port") }
        return try await body(SMTPSink(peer: peer, port: port))
    }
}
