import Foundation
import GatewayStandIns
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing
import TuttiAPI
import TuttiRuntime
import TuttiStore
import TuttiTestSupport

/// The public URL the receipt tests run the API under: Twilio signs it, so the endpoint must
/// verify against `TUTTI_PUBLIC_URL`, not the address it listens on.
let receiptPublicURL = "https://hooks.tutti.test"

/// ``withAPI`` with `TUTTI_PUBLIC_URL` set to ``receiptPublicURL``.
func withReceiptAPI(_ body: @Sendable @escaping (any TestClientProtocol) async throws -> Void) async throws {
    var configuration = try await TuttiConfiguration.forTesting()
    configuration.publicURL = receiptPublicURL
    let app = try await buildApplication(configuration: configuration, logger: TestDatabase.logger)
    try await app.test(.router) { client in try await body(client) }
}

/// Runs a Python program with the real gateway libraries (ops/test-requirements.txt) that
/// prints one JSON object, and returns it.
func runPython(_ script: String, arguments: [String] = []) async throws -> [String: Any] {
    let (peer, answer) = try await PythonPeer.start(script: script, arguments: arguments)
    peer.stop()
    return answer
}

/// Twilio's own `RequestValidator`: the signature of `url` and `fields`, and whether the
/// library itself accepts it (a check that the arguments reached it as meant).
func twilioSignature(url: String, fields: [(String, String)], authToken: String) async throws -> String {
    let script = """
        import json, sys
        from twilio.request_validator import RequestValidator
        url, token, fields = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
        params = {name: value for name, value in fields}
        validator = RequestValidator(token)
        signature = validator.compute_signature(url, params)
        print(json.dumps({"signature": signature, "valid": validator.validate(url, params, signature)}))
        """
    let encoded = String(decoding: try JSONSerialization.data(withJSONObject: fields.map { [$0.0, $0.1] }), as: UTF8.self)
    let answer = try await runPython(script, arguments: [url, authToken, encoded])
    #expect(answer["valid"] as? Bool == true)
    return try #require(answer["signature"] as? String)
}

/// A P-256 key made by `cryptography`, its public half as SendGrid shows it (base64 DER), and
/// a signature of each payload over `timestamp` + payload, each checked by sendgrid's own
/// `EventWebhook` before it is returned.
func sendGridFixtures(timestamp: String, payloads: [String]) async throws -> (publicKey: String, signatures: [String]) {
    let script = """
        import base64, json, sys
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from sendgrid.helpers.eventwebhook import EventWebhook
        timestamp, payloads = sys.argv[1], json.loads(sys.argv[2])
        key = ec.generate_private_key(ec.SECP256R1())
        der = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        public = base64.b64encode(der).decode()
        webhook = EventWebhook(public)
        signatures, verified = [], []
        for payload in payloads:
            signature = base64.b64encode(key.sign((timestamp + payload).encode(), ec.ECDSA(hashes.SHA256()))).decode()
            signatures.append(signature)
            verified.append(webhook.verify_signature(payload, signature, timestamp))
        tampered = webhook.verify_signature(payloads[0] + " ", signatures[0], timestamp)
        print(json.dumps({"public_key": public, "signatures": signatures, "verified": verified, "tampered": tampered}))
        """
    let encoded = String(decoding: try JSONSerialization.data(withJSONObject: payloads), as: UTF8.self)
    let answer = try await runPython(script, arguments: [timestamp, encoded])
    #expect(answer["verified"] as? [Bool] == Array(repeating: true, count: payloads.count))
    #expect(answer["tampered"] as? Bool == false)
    return (try #require(answer["public_key"] as? String), try #require(answer["signatures"] as? [String]))
}

extension TestClientProtocol {
    /// Posts a form to a Twilio callback path, signed by twilio's RequestValidator unless
    /// `signature` is given.
    func postTwilio(
        _ path: String, fields: [(String, String)], authToken: String, signature: String? = nil
    ) async throws -> TestResponse {
        let sign = try await twilioSignature(url: receiptPublicURL + path, fields: fields, authToken: authToken)
        let body = fields.map { "\(formEscape($0.0))=\(formEscape($0.1))" }.joined(separator: "&")
        return try await execute(
            uri: path, method: .post,
            headers: [
                .contentType: "application/x-www-form-urlencoded", HTTPField.Name("X-Twilio-Signature")!: signature ?? sign,
            ],
            body: ByteBuffer(string: body))
    }

    /// Posts SendGrid events with their signature headers.
    func postSendGrid(_ channelID: String, payload: String, signature: String, timestamp: String) async throws -> TestResponse {
        try await execute(
            uri: "/v1/callbacks/\(channelID)/sendgrid", method: .post,
            headers: [
                .contentType: "application/json",
                HTTPField.Name("X-Twilio-Email-Event-Webhook-Signature")!: signature,
                HTTPField.Name("X-Twilio-Email-Event-Webhook-Timestamp")!: timestamp,
            ],
            body: ByteBuffer(string: payload))
    }

    /// A message to `customer` on `channel`, marked as a worker marks one the gateway
    /// accepted with `providerID` (the API tests run no worker).
    func acceptedMessage(_ tenant: CreatedTenant, customer: String, channel: String, providerID: String) async throws -> String {
        let response = try await postMessage(tenant, customer: customer, channel: channel)
        try #require(response.status == .accepted || response.status == .created, "message answered \(response.status)")
        let id = try #require(try response.json()["id"] as? String)
        let tenantID = try #require(UUID(uuidString: tenant.id)), messageID = try #require(UUID(uuidString: id))
        try await withTestDatabase { database in
            try await database.withTenant(tenantID, logger: TestDatabase.logger) { session in
                try await session.connection.query(
                    """
                    UPDATE messages SET state = 'sent', provider_message_id = \(providerID), sent_at = now(), job_id = NULL
                    WHERE tenant_id = \(tenantID) AND id = \(messageID)
                    """, logger: TestDatabase.logger)
                try await session.connection.query(
                    "DELETE FROM queue_jobs WHERE tenant_id = \(tenantID) AND queue = 'delivery'", logger: TestDatabase.logger)
            }
        }
        return id
    }
}

func formEscape(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text).replacingOccurrences(of: "%20", with: "+")
}

/// A Twilio channel whose auth token the tests know.
func twilioChannel(authToken: String) -> [String: Any] {
    [
        "type": "twilio", "name": "SMS",
        "config": ["account_sid": "AC0123456789abcdef", "auth_token": authToken, "from": "+15005550006"],
    ]
}
