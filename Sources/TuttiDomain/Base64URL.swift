import Foundation

/// Unpadded base64url (RFC 4648 §5), used for API key secrets and page cursors because it
/// survives URLs and headers without escaping.
public enum Base64URL {
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes unpadded base64url, or nil when `text` is not that.
    public static func decode(_ text: String) -> Data? {
        guard text.allSatisfy(isAlphabetCharacter) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let remainder = base64.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { base64 += String(repeating: "=", count: 4 - remainder) }
        return Data(base64Encoded: base64)
    }

    /// Decodes standard (padded or not) base64, as in HTTP Basic credentials.
    public static func decodeStandard(_ text: String) -> Data? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let padded = trimmed.count % 4 == 0 ? trimmed : trimmed + String(repeating: "=", count: 4 - trimmed.count % 4)
        return Data(base64Encoded: padded)
    }

    static func isAlphabetCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "-" || character == "_")
    }

    /// ``isAlphabetCharacter(_:)`` for one UTF-8 byte: `A-Z a-z 0-9 - _`.
    static func isAlphabetByte(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2D || byte == 0x5F
    }
}
