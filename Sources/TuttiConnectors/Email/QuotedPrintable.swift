import Foundation

/// RFC 2045 quoted-printable, for text bodies that are mostly ASCII: readable in the raw
/// mail, safe over 7-bit relays, and lines kept under 76 characters.
enum QuotedPrintable {
    /// Encodes UTF-8 `text`; its line breaks (LF or CRLF) become CRLF hard breaks.
    static func encode(_ text: String) -> String {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        return lines.map { encodeLine(Array($0.utf8)) }.joined(separator: "\r\n")
    }

    private static func encodeLine(_ bytes: [UInt8]) -> String {
        var output = ""
        var lineLength = 0
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            let literal: Bool
            switch byte {
            // Space and tab are literal except at the end of a line, where relays may strip them.
            case UInt8(ascii: " "), UInt8(ascii: "\t"): literal = !isLast
            // "=" is the escape; "." at a line start is left to SMTP dot-stuffing.
            case 33...60, 62...126: literal = true
            default: literal = false
            }
            let piece = literal ? String(UnicodeScalar(byte)) : "=" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            // A soft break ("=" at the end) keeps every encoded line at most 76 characters.
            if lineLength + piece.count > 75 {
                output += "=\r\n"
                lineLength = 0
            }
            output += piece
            lineLength += piece.count
        }
        return output
    }
}
