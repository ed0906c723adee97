import Foundation
import GatewayStandIns
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiAPI
import TuttiRuntime
import TuttiTestSupport

/// A signing certificate of our own for SNS fixtures: an RSA key and self-signed certificate
/// made by `cryptography`, and messages signed with it as SNS signs (PKCS#1 v1.5, SHA-1 for
/// SignatureVersion 1, SHA-256 for 2) over the string to sign, built here in Python on its own.
struct SNSSigner {
    let directory: URL
    /// The certificate in PEM, which the HTTPS stand-in serves as SNS serves its own.
    let certificatePEM: String

    static let script = """
        import base64, datetime, json, os, sys
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding, rsa
        from cryptography.x509.oid import NameOID
        mode, directory = sys.argv[1], sys.argv[2]
        if mode == "make":
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sns.test.amazonaws.com")])
            now = datetime.datetime.now(datetime.timezone.utc)
            cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                    .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
                    .not_valid_after(now + datetime.timedelta(days=2)).sign(key, hashes.SHA256()))
            with open(os.path.join(directory, "sns-key.pem"), "wb") as f:
                f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
            print(json.dumps({"cert": cert.public_bytes(serialization.Encoding.PEM).decode()}))
        else:
            with open(os.path.join(directory, "sns-key.pem"), "rb") as f:
                key = serialization.load_pem_private_key(f.read(), None)
            signed = []
            for message in json.loads(sys.argv[3]):
                if message["Type"] == "Notification":
                    names = ["Message", "MessageId"] + (["Subject"] if "Subject" in message else []) + ["Timestamp", "TopicArn", "Type"]
                else:
                    names = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"]
                text = "".join(name + "\\n" + message[name] + "\\n" for name in names).encode()
                digest = hashes.SHA1() if message["SignatureVersion"] == "1" else hashes.SHA256()
                signature = key.sign(text, padding.PKCS1v15(), digest)
                key.public_key().verify(signature, text, padding.PKCS1v15(), digest)
                message["Signature"] = base64.b64encode(signature).decode()
                signed.append(message)
            print(json.dumps({"messages": signed}))
        """

    static func make() async throws -> SNSSigner {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tutti-sns-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let answer = try await runPython(script, arguments: ["make", directory.path])
        return SNSSigner(directory: directory, certificatePEM: try #require(answer["cert"] as? String))
    }

    /// Each message with its `Signature`, as a JSON body.
    func sign(_ messages: [[String: String]]) async throws -> [String] {
        let encoded = String(decoding: try JSONSerialization.data(withJSONObject: messages), as: UTF8.self)
        let answer = try await runPython(Self.script, arguments: ["sign", directory.path, encoded])
        let signed = try #require(answer["messages"] as? [[String: Any]])
        return try signed.map {
            String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self)
        }
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// An SNS envelope for `message` (unsigned).
func snsEnvelope(
    type: String = "Notification", id: String, topic: String, message: String, certURL: String, version: String = "2",
    subject: String? = nil, subscribeURL: String? = nil
) -> [String: String] {
    var envelope = [
        "Type": type, "MessageId": id, "TopicArn": topic, "Message": message, "Timestamp": "2026-12-08T00:00:00.000Z",
        "SignatureVersion": version, "SigningCertURL": certURL,
    ]
    if let subject { envelope["Subject"] = subject }
    if let subscribeURL {
        envelope["SubscribeURL"] = subscribeURL
        envelope["Token"] = "2336412f37fb687f5d51e6e2425f004aed"
    }
    return envelope
}

/// An SES event notification's `Message`.
func sesEvent(_ type: String, sesID: String, to address: String, section: String) -> String {
    let sections = ["Delivery": "delivery", "Bounce": "bounce", "Complaint": "complaint"]
    return
        #"{"notificationType": "\#(type)", "mail": {"messageId": "\#(sesID)", "destination": ["\#(address)"], "source": "news@shop.example.com"}, "\#(sections[type] ?? "x")": \#(section)}"#
}

/// Runs `body` with an HTTPS stand-in serving the signer's certificate for every path (and
/// recording the subscription confirmations), and the API trusting that stand-in's CA for
/// SNS fetches from 127.0.0.1.
func withSNSAPI(
    _ body: @Sendable @escaping (any TestClientProtocol, RecordingServer, SNSSigner) async throws -> Void
) async throws {
    let signer = try await SNSSigner.make()
    let tls = try SelfSignedCertificate.make()
    defer {
        signer.remove()
        tls.remove()
    }
    try await withRecordingServer(
        default: ScriptedResponse(status: 200, headers: ["Content-Type": "text/plain"], body: signer.certificatePEM),
        certificate: tls
    ) { server in
        var configuration = try await TuttiConfiguration.forTesting()
        configuration.publicURL = receiptPublicURL
        configuration.sns.certificateHosts = ["127.0.0.1"]
        configuration.sns.caCertificates = tls.pem
        let app = try await buildApplication(configuration: configuration, logger: TestDatabase.logger)
        try await app.test(.router) { client in try await body(client, server, signer) }
    }
}

extension TestClientProtocol {
    /// Posts an SNS message body as SNS does (text/plain, with its type header).
    func postSNS(_ channelID: String, _ body: String, type: String = "Notification") async throws -> TestResponse {
        try await execute(
            uri: "/v1/callbacks/\(channelID)/sns", method: .post,
            headers: [.contentType: "text/plain; charset=UTF-8", HTTPField.Name("x-amz-sns-message-type")!: type],
            body: ByteBuffer(string: body))
    }
}

/// An SES channel accepting `topics`.
func sesChannel(topics: [String]) -> [String: Any] {
    [
        "type": "ses", "name": "SES",
        "config": [
            "region": "eu-west-1", "access_key_id": "AKIDEXAMPLE", "secret_access_key": "secret",
            "from_address": "news@shop.example.com", "sns_topic_arns": topics,
        ],
    ]
}
