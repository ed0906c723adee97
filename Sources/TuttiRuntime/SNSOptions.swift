import Foundation
import TuttiStore

/// Where the API may fetch Amazon SNS signing certificates and subscription confirmations
/// from (docs/closed-loop.md, "Amazon SES through SNS").
public struct SNSOptions: Sendable, Hashable {
    /// `TUTTI_SNS_CERT_HOSTS`, comma-separated host patterns (`*` is one label or part of one).
    /// Default: Amazon's SNS endpoints, `sns.*.amazonaws.com,sns.*.amazonaws.com.cn`.
    public var certificateHosts = ["sns.*.amazonaws.com", "sns.*.amazonaws.com.cn"]
    /// The PEM certificates of `TUTTI_SNS_CA_FILE`, trusted for these fetches instead of the
    /// system store (a test's own CA on loopback). Default nil: the system store.
    public var caCertificates: String?

    public init() {}

    /// The options from the environment; unset variables keep their defaults.
    init(_ environment: [String: String]) throws(ConfigurationError) {
        if let hosts = environment["TUTTI_SNS_CERT_HOSTS"], !hosts.isEmpty {
            let patterns = hosts.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard
                patterns.allSatisfy({ pattern in
                    !pattern.isEmpty && pattern.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-.*".contains($0)) }
                })
            else {
                throw ConfigurationError(
                    variable: "TUTTI_SNS_CERT_HOSTS", message: "must be comma-separated host names, * for a label")
            }
            certificateHosts = patterns
        }
        if let path = environment["TUTTI_SNS_CA_FILE"], !path.isEmpty {
            guard let pem = try? String(contentsOfFile: path, encoding: .utf8), pem.contains("-----BEGIN CERTIFICATE-----") else {
                throw ConfigurationError(variable: "TUTTI_SNS_CA_FILE", message: "must be a readable PEM file of certificates")
            }
            caCertificates = pem
        }
    }
}
