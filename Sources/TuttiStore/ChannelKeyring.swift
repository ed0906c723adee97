import Crypto
import Foundation

/// The AES-256-GCM keys that seal channel credentials at rest.
///
/// Read from `TUTTI_CHANNEL_KEYS`: a comma-separated list of `id:base64key` (32-byte keys).
/// The first key seals everything written from now on; every key in the list opens what it
/// sealed, which is what makes rotation possible without downtime: add the new key at the
/// front, run `tutti channels reencrypt`, then drop the old key (docs/channels.md).
///
/// Each box is bound to its row: the associated data is `tenant_id/channel_id`, so
/// credentials copied into another tenant's row do not open.
public struct ChannelKeyring: Sendable {
    /// One key and its name (stored beside every box it sealed).
    public struct Key: Sendable {
        public let id: String
        let key: SymmetricKey
    }

    public let keys: [Key]
    /// Whether this is the built-in development key, whose bytes are public: fine for a
    /// laptop and tests, worthless in production. Processes warn loudly when it is in use.
    public let isDevelopment: Bool

    /// The key that seals new boxes.
    public var current: Key { keys[0] }

    /// A keyring from `TUTTI_CHANNEL_KEYS` text; throws naming the variable.
    public init(parsing text: String, variable: String = "TUTTI_CHANNEL_KEYS") throws(ConfigurationError) {
        var keys: [Key] = []
        for entry in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, (1...64).contains(parts[0].count),
                parts[0].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
            else {
                throw ConfigurationError(variable: variable, message: "must be a comma-separated list of id:base64key (ids of letters, digits, - and _)")
            }
            guard let bytes = Data(base64Encoded: parts[1]), bytes.count == 32 else {
                throw ConfigurationError(variable: variable, message: "key \(parts[0]) must be 32 bytes in base64 (openssl rand -base64 32)")
            }
            guard !keys.contains(where: { $0.id == parts[0] }) else {
                throw ConfigurationError(variable: variable, message: "names key \(parts[0]) twice")
            }
            keys.append(Key(id: parts[0], key: SymmetricKey(data: bytes)))
        }
        guard !keys.isEmpty else { throw ConfigurationError(variable: variable, message: "must name at least one key") }
        self.keys = keys
        isDevelopment = false
    }

    private init(keys: [Key], isDevelopment: Bool) {
        self.keys = keys
        self.isDevelopment = isDevelopment
    }

    /// The key used when `TUTTI_CHANNEL_KEYS` is unset: SHA-256 of a fixed phrase, id `dev`.
    /// Its base64 (for listing it beside a real key during the first rotation) is
    /// `developmentKeyBase64`.
    public static let development = ChannelKeyring(
        keys: [Key(id: "dev", key: SymmetricKey(data: SHA256.hash(data: Data(developmentPhrase.utf8))))], isDevelopment: true)
    static let developmentPhrase = "tutti development channel key: not a secret, never use in production"
    public static var developmentKeyBase64: String {
        Data(SHA256.hash(data: Data(developmentPhrase.utf8))).base64EncodedString()
    }

    /// Seals `secrets` (a JSON object) under the current key for the row (`tenantID`, `channelID`).
    public func seal(_ secrets: [String: String], tenantID: UUID, channelID: UUID) throws -> (keyID: String, box: [UInt8]) {
        let plaintext = try JSONEncoder().encode(secrets)
        let box = try AES.GCM.seal(plaintext, using: current.key, authenticating: Self.associatedData(tenantID, channelID))
        guard let combined = box.combined else { throw ChannelSecretError.sealFailed }
        return (current.id, Array(combined))
    }

    /// Opens a box sealed by ``seal(_:tenantID:channelID:)`` with the key named `keyID`.
    public func open(_ box: [UInt8], keyID: String, tenantID: UUID, channelID: UUID) throws(ChannelSecretError) -> [String: String] {
        guard let key = keys.first(where: { $0.id == keyID }) else { throw .unknownKey(keyID) }
        do {
            let sealed = try AES.GCM.SealedBox(combined: box)
            let plaintext = try AES.GCM.open(sealed, using: key.key, authenticating: Self.associatedData(tenantID, channelID))
            return try JSONDecoder().decode([String: String].self, from: plaintext)
        } catch {
            throw .doesNotOpen(keyID)
        }
    }

    private static func associatedData(_ tenantID: UUID, _ channelID: UUID) -> Data {
        Data("\(tenantID.uuidString.lowercased())/\(channelID.uuidString.lowercased())".utf8)
    }
}

/// Why a channel's credentials could not be opened. Never carries the credentials.
public enum ChannelSecretError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The row was sealed under a key that is not in `TUTTI_CHANNEL_KEYS`.
    case unknownKey(String)
    /// The key is known but the box does not open with it (wrong key bytes, or a box moved
    /// from another row).
    case doesNotOpen(String)
    case sealFailed

    public var description: String {
        switch self {
        case .unknownKey(let id): "the channel's credentials are sealed with key \"\(id)\", which TUTTI_CHANNEL_KEYS does not list"
        case .doesNotOpen(let id): "the channel's credentials do not open with key \"\(id)\" (wrong key bytes in TUTTI_CHANNEL_KEYS?)"
        case .sealFailed: "sealing the channel's credentials failed"
        }
    }
}
