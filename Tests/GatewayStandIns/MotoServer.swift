import Curl
import Foundation

/// A running moto server (``motoServerScript``) with signature checking on, and the IAM
/// key made for the tests.
public struct MotoServer: Sendable {
    public let peer: PythonPeer
    public let port: Int
    public let accessKeyID: String
    public let secretAccessKey: String
    public let region: String

    public var endpoint: String { "http://127.0.0.1:\(port)" }

    /// moto's record of everything it holds (`GET /moto-api/data.json`), by service and model.
    public func data() async throws -> [String: Any] {
        let transport = CurlTransport(configuration: .init(proxy: .none))
        defer { Task { await transport.shutdown() } }
        let response = try await transport.send(Curl.HTTPRequest(url: "\(endpoint)/moto-api/data.json"))
        guard response.status == 200, let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw StandInError("moto's data.json answered \(response.status)")
        }
        return object
    }

    /// The instances of `model` in `service` that moto holds, e.g. ("ses", "Message").
    public func instances(_ service: String, _ model: String) async throws -> [[String: Any]] {
        ((try await data())[service] as? [String: Any])?[model] as? [[String: Any]] ?? []
    }
}

/// Runs `body` with a moto server whose SES identity `sender` is verified, stopped afterwards.
public func withMotoServer<T>(sender: String, _ body: (MotoServer) async throws -> T) async throws -> T {
    let environment = [
        "INITIAL_NO_AUTH_ACTION_COUNT": "3",
        "AWS_ACCESS_KEY_ID": "bootstrap", "AWS_SECRET_ACCESS_KEY": "bootstrap", "AWS_DEFAULT_REGION": "us-east-1",
        // Not the developer's real configuration or a proxy: everything stays on loopback.
        "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1",
    ]
    return try await withPythonPeer(script: motoServerScript, arguments: [sender], environment: environment) { peer, ready in
        guard let port = ready["port"] as? Int, let key = ready["access_key_id"] as? String, let secret = ready["secret_access_key"] as? String
        else { throw StandInError("moto did not report its port and key") }
        return try await body(
            MotoServer(peer: peer, port: port, accessKeyID: key, secretAccessKey: secret, region: ready["region"] as? String ?? "us-east-1"))
    }
}
