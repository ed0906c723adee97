import Foundation

/// Where and how a webhook channel posts: the tenant's endpoint and the Standard Webhooks
/// signing secret.
public struct WebhookChannelConfiguration: Sendable, Hashable {
    /// The endpoint, http or https.
    public var url: String
    /// `whsec_` followed by the base64 of 24 to 64 random bytes (Standard Webhooks). Secret.
    public var secret: String
    /// PEM certificates to trust for the endpoint instead of the system store (a private CA).
    public var caCertificates: String?
    /// Per-attempt time limit in milliseconds. Default 10000.
    public var timeoutMilliseconds: Int

    public static let secretFields = ["secret"]

    public init(url: String, secret: String, caCertificates: String? = nil, timeoutMilliseconds: Int = 10_000) {
        self.url = url
        self.secret = secret
        self.caCertificates = caCertificates
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    init(reading reader: inout ChannelConfigReader) {
        url = reader.url("url", required: true) ?? ""
        secret = reader.string("secret", required: true) ?? ""
        if !secret.isEmpty && Self.signingKey(of: secret) == nil {
            reader.fail("secret", "must be whsec_ followed by the base64 of 24 to 64 random bytes")
        }
        caCertificates = reader.pem("ca_pem")
        timeoutMilliseconds = reader.integer("timeout_ms", default: 10_000, in: 100...60_000) ?? 10_000
    }

    /// The HMAC key: the base64-decoded part of a `whsec_` secret, or nil if it is not one.
    public static func signingKey(of secret: String) -> [UInt8]? {
        guard secret.hasPrefix("whsec_"), let data = Data(base64Encoded: String(secret.dropFirst(6))),
            (24...64).contains(data.count)
        else { return nil }
        return Array(data)
    }

    var publicFields: [String: JSONValue] {
        var fields: [String: JSONValue] = ["url": .string(url), "timeout_ms": .number(Double(timeoutMilliseconds))]
        if let caCertificates { fields["ca_pem"] = .string(caCertificates) }
        return fields
    }

    var secrets: [String: String] { ["secret": secret] }
}
