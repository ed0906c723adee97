import Crypto
import Foundation

/// SendGrid's signed event webhook: an ECDSA P-256 signature with SHA-256 over the
/// `X-Twilio-Email-Event-Webhook-Timestamp` header's value followed by the raw body, sent
/// base64 (DER) in `X-Twilio-Email-Event-Webhook-Signature`. The verification key is the
/// public key SendGrid shows in its settings: base64 of the DER SubjectPublicKeyInfo, or PEM.
public enum SendGridEventSignature {
    /// The key from the form SendGrid shows it in, or nil when it is not a P-256 public key.
    public static func publicKey(_ text: String) -> P256.Signing.PublicKey? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("-----BEGIN") { return try? P256.Signing.PublicKey(pemRepresentation: trimmed) }
        let compact = trimmed.filter { !$0.isWhitespace }
        guard let der = Data(base64Encoded: compact) else { return nil }
        return try? P256.Signing.PublicKey(derRepresentation: der)
    }

    /// Whether `signature` signs `timestamp` + `body` under `key`.
    public static func isValid(signature: String, timestamp: String, body: [UInt8], key: P256.Signing.PublicKey) -> Bool {
        guard !timestamp.isEmpty, let der = Data(base64Encoded: signature.trimmingCharacters(in: .whitespaces)),
            let parsed = try? P256.Signing.ECDSASignature(derRepresentation: der)
        else { return false }
        var signed = Data(timestamp.utf8)
        signed.append(contentsOf: body)
        return key.isValidSignature(parsed, for: signed)
    }
}
