import Foundation

/// The hosts Tutti fetches SNS signing certificates and subscription confirmations from
/// (`TUTTI_SNS_CERT_HOSTS`): a URL is fetched only over https from a host matching one
/// pattern, so a forged `SigningCertURL` cannot point the check at a certificate of the
/// forger's own, nor make the API fetch arbitrary URLs.
///
/// A pattern is a host name in which `*` stands for one whole label or part of one (never a
/// dot): `sns.*.amazonaws.com` matches `sns.eu-west-1.amazonaws.com`, not
/// `sns.evil.example.amazonaws.com` nor `sns.eu-west-1.amazonaws.com.evil.example`.
public struct SNSHostPatterns: Sendable, Hashable {
    /// Amazon's SNS endpoints (commercial and China regions).
    public static let amazon = SNSHostPatterns(["sns.*.amazonaws.com", "sns.*.amazonaws.com.cn"])

    public let patterns: [String]

    public init(_ patterns: [String]) {
        self.patterns = patterns.map { $0.lowercased() }
    }

    /// Whether `url` is an https URL without credentials on an allowed host.
    public func allows(_ url: String) -> Bool {
        guard let components = URLComponents(string: url), components.scheme?.lowercased() == "https",
            components.user == nil, components.password == nil, let host = components.host?.lowercased(), !host.isEmpty
        else { return false }
        return patterns.contains { Self.matches(host: host, pattern: $0) }
    }

    static func matches(host: String, pattern: String) -> Bool {
        let hostLabels = host.split(separator: ".", omittingEmptySubsequences: false)
        let patternLabels = pattern.split(separator: ".", omittingEmptySubsequences: false)
        guard hostLabels.count == patternLabels.count else { return false }
        return zip(hostLabels, patternLabels).allSatisfy { label, pattern in
            label.isEmpty ? false : labelMatches(Array(label), Array(pattern))
        }
    }

    /// `*` matches one or more characters of the label.
    static func labelMatches(_ label: [Character], _ pattern: [Character]) -> Bool {
        guard let star = pattern.firstIndex(of: "*") else { return label == pattern }
        let prefix = pattern[..<star], rest = Array(pattern[(star + 1)...])
        guard label.count > prefix.count, Array(label.prefix(prefix.count)) == Array(prefix) else { return false }
        let after = Array(label[prefix.count...])
        // The star takes at least one character; the rest matches some suffix.
        for start in 1...after.count where labelMatches(Array(after[start...]), rest) { return true }
        return false
    }
}
