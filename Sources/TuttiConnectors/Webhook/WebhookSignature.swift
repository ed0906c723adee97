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
        sign(id: id, timestamp: timestamp, body: body, key: SymmetricKey(data: key))
    }

    /// The same with the key already made, as a connector keeps it.
    public static func sign(id: String, timestamp: Int, body: [UInt8], key: SymmetricKey) -> String {
        var mac = HMAC<SHA256>(key: key)
        mac.update(data: Array("\(id).\(timestamp).".utf8))
        mac.update(data: body)
        return "v1," + Data(mac.finalize()).base64EncodedString()
    }
}
