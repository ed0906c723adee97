import Foundation

/// E-mail addresses as identities: trimmed, lower-cased, and plausibly deliverable
/// (one `@`, a dotted domain of letters, digits and hyphens, no spaces).
public enum EmailAddress {
    public static func normalize(_ raw: String, field: String = "email") throws(ValidationError) -> String {
        let email = raw.trimmedOfWhitespace.lowercased()
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
}
