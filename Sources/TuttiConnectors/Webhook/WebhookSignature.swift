import Crypto
import Foundation

/// Standard Webhooks signing (https://www.standardwebhooks.com): an HMAC-SHA256 over
/// `"{webhook-id}.{webhook-timestamp}.{body}"` keyed with the bytes of the `whsec_` secret,
/// sent base64-encoded as `v1,<signature>`.
///
/// The id and timestamp are inside the signed text so a receiver can refuse replays: it
/// keeps the ids it has seen and rejects timestamps too far from its clock.
public enum WebhookSignature {
    /// The `webhook-signature` value for one attempt.
    public static func sign(id: String, timestamp: Int, body: [UInt8], key: [UInt8]) -> String {
        var signed = Array("\(id).\(timestamp).".utf8)
        signed.append(contentsOf: body)
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: key))
        return "v1," + Data(mac).base64EncodedString()
    }
}
