import Foundation

/// One scripted answer of a ``RecordingServer``.
public struct ScriptedResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: String
    public var delayMilliseconds: Int
    /// Drop the connection without answering.
    public var reset: Bool

    public init(status: Int = 200, headers: [String: String] = [:], body: String = "", delayMilliseconds: Int = 0, reset: Bool = false) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delayMilliseconds = delayMilliseconds
        self.reset = reset
    }

    /// A JSON answer.
    public static func json(_ status: Int, _ body: String, headers: [String: String] = [:]) -> ScriptedResponse {
        ScriptedResponse(status: status, headers: headers.merging(["Content-Type": "application/json"]) { a, _ in a }, body: body)
    }

    var object: [String: Any] {
        ["status": status, "headers": headers, "body": body, "delay_ms": delayMilliseconds, "reset": reset]
    }
}

/// What a ``RecordingServer`` saw of one request.
public struct RecordedRequest: @unchecked Sendable {
    public let method: String
    /// Path and query.
    public let path: String
    public let headers: [(name: String, value: String)]
    public let body: String
    /// The body's fields when it was form-encoded, in order.
    public let form: [(name: String, value: String)]
    /// The body parsed, when it was JSON.
    public let json: Any?
    /// With a webhook secret: whether the standardwebhooks library accepted the signature.
    public let verified: Bool?
    public let verifyError: String?

    init(_ object: [String: Any]) {
        method = object["method"] as? String ?? ""
        path = object["path"] as? String ?? ""
        headers = (object["headers"] as? [[String]] ?? []).map { ($0[0], $0[1]) }
        body = object["body"] as? String ?? ""
        form = (object["form"] as? [[String]] ?? []).map { ($0[0], $0[1]) }
        json = object["json"]
        verified = object["verified"] as? Bool
        verifyError = object["verify_error"] as? String
    }

    /// The first value of header `name` (lower-case), or nil.
    public func header(_ name: String) -> String? {
        headers.first { $0.name == name }?.value
    }

    /// The first value of form field `name`, or nil.
    public func field(_ name: String) -> String? {
        form.first { $0.name == name }?.value
    }

    /// The JSON body as an object.
    public var jsonObject: [String: Any] { json as? [String: Any] ?? [:] }
}

/// A running ``recordingServerScript``: a gateway stand-in on 127.0.0.1 that records what it
/// receives and answers as scripted.
public struct RecordingServer: Sendable {
    public let peer: PythonPeer
    public let port: Int
    public let scheme: String

    /// `scheme://127.0.0.1:port`.
    public var baseURL: String { "\(scheme)://127.0.0.1:\(port)" }

    /// The requests so far, waiting until there are at least `count`.
    public func requests(atLeast count: Int = 1) async throws -> [RecordedRequest] {
        try await peer.reports(atLeast: count).map(RecordedRequest.init)
    }
}

/// Runs `body` with a recording server, stopped afterwards.
public func withRecordingServer<T>(
    responses: [ScriptedResponse] = [], default fallback: ScriptedResponse? = nil, webhookSecret: String? = nil,
    certificate: SelfSignedCertificate? = nil, _ body: (RecordingServer) async throws -> T
) async throws -> T {
    var configuration: [String: Any] = ["responses": responses.map(\.object)]
    if let fallback { configuration["default"] = fallback.object }
    if let webhookSecret { configuration["webhook_secret"] = webhookSecret }
    if let certificate {
        configuration["cert"] = certificate.certificatePath
        configuration["key"] = certificate.keyPath
    }
    let argument = String(decoding: try JSONSerialization.data(withJSONObject: configuration), as: UTF8.self)
    return try await withPythonPeer(script: recordingServerScript, arguments: [argument]) { peer, ready in
        guard let port = ready["port"] as? Int else { throw StandInError("the recording server did not report its port") }
        return try await body(RecordingServer(peer: peer, port: port, scheme: certificate == nil ? "http" : "https"))
    }
}
