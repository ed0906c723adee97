import Crypto
import Foundation
import TuttiDomain

/// The signed tokens in unsubscribe (`/u/{token}`) and preference (`/p/{token}`) links
/// (docs/closed-loop.md, "Unsubscribe").
///
/// A token is base64url (URL-safe, unpadded) of a kind byte, the fields in binary, and
/// HMAC-SHA256 over all of that with the tenant's link key (``LinkKeyring``). The tenant id is
/// readable before the check, because it names the key that checks it; nothing else in the
/// token is trusted until the MAC matches (compared in constant time).
///
/// - unsubscribe (`U`): tenant, customer, message, topic key (length byte, then UTF-8; empty:
///   the channel's marketing as a whole). It does not expire: RFC 8058 links must keep working
///   as long as the mail sits in an inbox.
/// - preferences (`P`): tenant, customer, expiry (Unix seconds, big-endian 64-bit), set from
///   the tenant's `preference_link_days`.
public enum LinkToken: Sendable, Equatable {
    case unsubscribe(tenantID: UUID, customerID: UUID, messageID: UUID, topic: String)
    case preferences(tenantID: UUID, customerID: UUID, expires: Date)

    private static let unsubscribeKind: UInt8 = 0x55
    private static let preferencesKind: UInt8 = 0x50
    private static let macLength = 32

    public var tenantID: UUID {
        switch self {
        case .unsubscribe(let tenant, _, _, _), .preferences(let tenant, _, _): tenant
        }
    }

    public var customerID: UUID {
        switch self {
        case .unsubscribe(_, let customer, _, _), .preferences(_, let customer, _): customer
        }
    }

    /// The token's text, signed with `key`.
    public func signed(with key: SymmetricKey) -> String {
        let payload = self.payload
        let mac = HMAC<SHA256>.authenticationCode(for: payload, using: key)
        return Base64URL.encode(payload + Data(mac))
    }

    /// The tenant a token names, before its signature is checked (to find the key that checks
    /// it); nil when the text cannot be a token.
    public static func claimedTenant(_ text: String) -> UUID? {
        guard text.count <= 512, let bytes = Base64URL.decode(text), bytes.count > 17 + macLength,
            bytes.first == unsubscribeKind || bytes.first == preferencesKind
        else { return nil }
        return uuid(bytes, at: 1)
    }

    /// The token `text` if `key` signed it; nil for anything else (malformed, forged, another
    /// tenant's). Expiry is the caller's to check, against the database's clock.
    public static func verify(_ text: String, key: SymmetricKey) -> LinkToken? {
        guard text.count <= 512, let bytes = Base64URL.decode(text), bytes.count > 1 + macLength else { return nil }
        let payload = bytes.prefix(bytes.count - macLength)
        let mac = bytes.suffix(macLength)
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: payload, using: key) else { return nil }
        return parse(Data(payload))
    }

    /// The form's CSRF token for a preference page: HMAC of the page's token under a label,
    /// so only whoever was given the page can post it.
    public static func formToken(for text: String, key: SymmetricKey) -> String {
        Base64URL.encode(Data(HMAC<SHA256>.authenticationCode(for: Data(("csrf:" + text).utf8), using: key)))
    }

    /// Whether `candidate` is the CSRF token of `text` (constant-time).
    public static func formTokenMatches(_ candidate: String, for text: String, key: SymmetricKey) -> Bool {
        guard let mac = Base64URL.decode(candidate) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data(("csrf:" + text).utf8), using: key)
    }

    private var payload: Data {
        var data = Data()
        switch self {
        case .unsubscribe(let tenant, let customer, let message, let topic):
            data.append(Self.unsubscribeKind)
            for id in [tenant, customer, message] { withUnsafeBytes(of: id.uuid) { data.append(contentsOf: $0) } }
            let topicBytes = Array(topic.utf8.prefix(255))
            data.append(UInt8(topicBytes.count))
            data.append(contentsOf: topicBytes)
        case .preferences(let tenant, let customer, let expires):
            data.append(Self.preferencesKind)
            for id in [tenant, customer] { withUnsafeBytes(of: id.uuid) { data.append(contentsOf: $0) } }
            withUnsafeBytes(of: Int64(expires.timeIntervalSince1970.rounded(.up)).bigEndian) { data.append(contentsOf: $0) }
        }
        return data
    }

    private static func parse(_ data: Data) -> LinkToken? {
        let bytes = [UInt8](data)
        switch bytes.first {
        case unsubscribeKind?:
            guard bytes.count >= 50, bytes.count == 50 + Int(bytes[49]),
                let topic = String(bytes: bytes[50...], encoding: .utf8)
            else { return nil }
            return .unsubscribe(
                tenantID: uuid(bytes, at: 1), customerID: uuid(bytes, at: 17), messageID: uuid(bytes, at: 33), topic: topic)
        case preferencesKind?:
            guard bytes.count == 41 else { return nil }
            let seconds = bytes[33..<41].reduce(Int64(0)) { $0 << 8 | Int64($1) }
            return .preferences(
                tenantID: uuid(bytes, at: 1), customerID: uuid(bytes, at: 17),
                expires: Date(timeIntervalSince1970: Double(seconds)))
        default:
            return nil
        }
    }

    private static func uuid(_ bytes: some Collection<UInt8>, at offset: Int) -> UUID {
        let b = Array(bytes.dropFirst(offset).prefix(16))
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }
}
