import Foundation

/// The text of an API key: `tutti_<prefix>_<secret>`.
///
/// The prefix (16 hex digits, 64 random bits) is not secret: it finds the key's row. The secret
/// (43 base64url characters, 256 random bits) is what proves possession; only its SHA-256 is
/// stored. A key of that entropy needs no slow password hash: guessing is hopeless either way.
public struct APIKeyToken: Sendable, Equatable {
    public static let scheme = "tutti"
    public static let prefixLength = 16
    public static let secretLength = 43

    /// Finds the key; safe to show and log.
    public var prefix: String
    /// Proves possession; never shown again, never logged.
    public var secret: String

    /// The whole token as the client sends it.
    public var text: String { "\(Self.scheme)_\(prefix)_\(secret)" }

    public init(prefix: String, secret: String) {
        self.prefix = prefix
        self.secret = secret
    }

    /// A new token from the system's cryptographically secure generator.
    public static func generate() -> APIKeyToken {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    /// A new token from `generator`, which must be cryptographically secure outside tests.
    public static func generate(using generator: inout some RandomNumberGenerator) -> APIKeyToken {
        let prefixBytes = (0..<8).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let secretBytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let prefix = prefixBytes.map { String(format: "%02x", $0) }.joined()
        return APIKeyToken(prefix: prefix, secret: Base64URL.encode(secretBytes))
    }

    /// Parses a token, or returns nil when it cannot be one of ours (so that garbage never
    /// reaches the database).
    public init?(parsing text: some StringProtocol) {
        // Bytes at fixed offsets, not Characters: every request parses a token, and splitting
        // by Character (grapheme breaking, Unicode properties) cost more than the rest of the
        // check. It also kept fullwidth digits out. The secret's alphabet includes `_`, so
        // the layout is fixed: scheme, `_`, prefix, `_`, secret.
        let scheme = Self.scheme.utf8.count, secretStart = scheme + 1 + Self.prefixLength + 1
        let bytes = Array(text.utf8)
        guard bytes.count == secretStart + Self.secretLength,
            bytes[..<scheme].elementsEqual(Self.scheme.utf8), bytes[scheme] == 0x5F, bytes[secretStart - 1] == 0x5F
        else { return nil }
        let prefix = bytes[(scheme + 1)..<(secretStart - 1)], secret = bytes[secretStart...]
        guard prefix.allSatisfy(Self.isHexDigit), secret.allSatisfy(Base64URL.isAlphabetByte) else { return nil }
        self.init(prefix: String(decoding: prefix, as: UTF8.self).lowercased(), secret: String(decoding: secret, as: UTF8.self))
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
    }
}
