import Foundation

/// E-mail addresses as identities: trimmed, lower-cased, and plausibly deliverable
/// (one `@`, a dotted domain of letters, digits and hyphens, no spaces).
public enum EmailAddress {
    public static func normalize(_ raw: String, field: String = "email") throws(ValidationError) -> String {
        let email = raw.trimmedOfWhitespace.lowercased()
        // Printable ASCII, where a Character is a byte, is checked byte by byte: the same rules
        // at a fraction of the cost (this runs on every lookup by e-mail, the hot read).
        if let verdict = asciiVerdict(email) {
            switch verdict {
            case .valid: return email
            case .invalid: throw ValidationError(field: field, message: "is not an e-mail address")
            case .invalidDomain: throw ValidationError(field: field, message: "is not an e-mail address (domain)")
            }
        }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= 254, parts.count == 2 else {
            throw ValidationError(field: field, message: "is not an e-mail address")
        }
        let local = parts[0], domain = parts[1]
        let localAllowed = "!#$%&'*+/=?^_`{|}~.-"
        guard (1...64).contains(local.count), !local.hasPrefix("."), !local.hasSuffix("."), !local.contains(".."),
            local.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || localAllowed.contains($0)) })
        else { throw ValidationError(field: field, message: "is not an e-mail address") }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ label in
            (1...63).contains(label.count) && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }), labels.last!.count >= 2, labels.last!.allSatisfy(\.isLetter)
        else { throw ValidationError(field: field, message: "is not an e-mail address (domain)") }
        return email
    }

    private enum Verdict { case valid, invalid, invalidDomain }

    /// The rules of ``normalize(_:field:)`` over the bytes of a printable-ASCII `email`; nil
    /// when it is not printable ASCII.
    private static func asciiVerdict(_ email: String) -> Verdict? {
        var email = email
        return email.withUTF8 { bytes -> Verdict? in
            guard bytes.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) else { return nil }
            guard bytes.count <= 254, let at = bytes.firstIndex(of: UInt8(ascii: "@")),
                !bytes[(at + 1)...].contains(UInt8(ascii: "@"))
            else { return .invalid }
            let local = bytes[..<at], domain = bytes[(at + 1)...]
            guard (1...64).contains(local.count), local.first != dot, local.last != dot,
                !zip(local, local.dropFirst()).contains(where: { $0 == dot && $1 == dot }),
                local.allSatisfy({ isAlphanumeric($0) || localAllowed.contains($0) })
            else { return .invalid }
            let labels = domain.split(separator: dot, omittingEmptySubsequences: false)
            guard labels.count >= 2, labels.allSatisfy({ label in
                (1...63).contains(label.count) && label.first != hyphen && label.last != hyphen
                    && label.allSatisfy { isAlphanumeric($0) || $0 == hyphen }
            }), let last = labels.last, last.count >= 2, last.allSatisfy(isLetter)
            else { return .invalidDomain }
            return .valid
        }
    }

    private static let dot = UInt8(ascii: "."), hyphen = UInt8(ascii: "-")
    private static let localAllowed = Array("!#$%&'*+/=?^_`{|}~.-".utf8)

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
