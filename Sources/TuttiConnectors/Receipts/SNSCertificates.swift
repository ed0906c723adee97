import Curl
import Foundation

/// Fetches SNS signing certificates and confirms subscriptions, only from
/// ``SNSHostPatterns``; keeps each certificate's key in an ``SNSKeyCache`` by URL (SNS signs
/// with a few certificates for months, so a callback fetches one only the first time).
public final class SNSCertificates: Sendable {
    /// Why a URL was not fetched or did not give a certificate.
    public enum Failure: Error, Sendable, Equatable {
        /// Not https, or not on an allowed host.
        case hostNotAllowed
        /// The fetch failed or answered other than 2xx (worth a retry).
        case unavailable(String)
        /// The answer is not an RSA certificate in PEM.
        case notACertificate
    }

    public let hosts: SNSHostPatterns
    /// PEM certificates to trust for these fetches instead of the system store (tests), or nil.
    public let caCertificates: String?
    private let transport: CurlTransport
    private let cache: SNSKeyCache

    public init(hosts: SNSHostPatterns, caCertificates: String?, transport: CurlTransport, cache: SNSKeyCache) {
        self.hosts = hosts
        self.caCertificates = caCertificates
        self.transport = transport
        self.cache = cache
    }

    /// The key of the certificate at `url`, from memory or fetched.
    public func key(at url: String) async throws(Failure) -> SNSSignature.PublicKey {
        guard hosts.allows(url) else { throw .hostNotAllowed }
        if let key = cache[url] { return key }
        let body = try await get(url)
        guard let key = SNSSignature.publicKey(certificatePEM: String(decoding: body, as: UTF8.self)) else {
            throw .notACertificate
        }
        cache[url] = key
        return key
    }

    /// Confirms a subscription by fetching its `SubscribeURL`, as SNS asks.
    public func confirm(_ subscribeURL: String) async throws(Failure) {
        guard hosts.allows(subscribeURL) else { throw .hostNotAllowed }
        _ = try await get(subscribeURL)
    }

    private func get(_ url: String) async throws(Failure) -> [UInt8] {
        var request = HTTPRequest(url: url, timeout: .seconds(10))
        request.caCertificates = caCertificates
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch {
            throw .unavailable("\(error.code)")
        }
        guard (200..<300).contains(response.status) else { throw .unavailable("HTTP \(response.status)") }
        return response.body
    }
}
