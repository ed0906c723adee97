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

    /// The same with the key already made.
    public static func sign(id: String, timestamp: Int, body: [UInt8], key: SymmetricKey) -> String {
        sign(id: id, timestamp: timestamp, body: body, keyed: HMAC<SHA256>(key: key))
    }

    /// The same from an HMAC that has taken the key and nothing else, as a connector keeps
    /// it: keying hashes the key's two pads, work that is the same for every attempt.
    public static func sign(id: String, timestamp: Int, body: [UInt8], keyed: HMAC<SHA256>) -> String {
        var mac = keyed
        var prefix: [UInt8] = []
        prefix.reserveCapacity(id.utf8.count + 22)
        prefix.append(contentsOf: id.utf8)
        prefix.append(UInt8(ascii: "."))
        prefix.append(contentsOf: String(timestamp).utf8)
        prefix.append(UInt8(ascii: "."))
        mac.update(data: prefix)
        mac.update(data: body)
        return "v1," + Data(mac.finalize()).base64EncodedString()
    }
}
