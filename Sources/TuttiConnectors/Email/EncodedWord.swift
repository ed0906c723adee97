import Foundation

/// RFC 2047 encoded-words for header text that is not ASCII (subjects, display names).
enum EncodedWord {
    /// `text` as is when it is printable ASCII, else as `=?UTF-8?B?…?=` words, each at most
    /// 75 characters and never splitting a character, folded onto continuation lines.
    /// CR and LF become spaces either way: a header value must not start a new header.
    static func encode(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if flat.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7f }) && !flat.contains("=?") {
            return flat
        }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in flat {
            let bytes = Array(String(character).utf8)
            // 36 bytes make 48 base64 characters: with "=?UTF-8?B?" and "?=", 60, which
            // leaves room for "Subject: " on the first line within RFC 5322's 78.
            if chunk.count + bytes.count > 36 {
                words.append(word(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(word(chunk)) }
        return words.joined(separator: "\r\n ")
    }

    private static func word(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?="
    }

    /// A mailbox for `From`, `To`, `Reply-To`: `"Name" <address>` or `=?UTF-8?B?…?= <address>`.
    static func mailbox(_ address: String, name: String?) -> String {
        guard let name, !name.isEmpty else { return "<\(address)>" }
        let encoded = encode(name)
        if encoded == name {
            let quoted = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(quoted)\" <\(address)>"
        }
        return "\(encoded) <\(address)>"
    }
}
