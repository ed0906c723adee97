import Crypto
import Foundation

/// Twilio's request signature (`X-Twilio-Signature`): base64 of an HMAC-SHA1, keyed with the
/// account's auth token, over the full URL Twilio posted to followed by every form parameter
/// sorted by name, each name then value appended (https://www.twilio.com/docs/usage/security).
///
/// As Twilio's own `RequestValidator` does, the URL is tried as configured and with its
/// default port added or removed, since Twilio signs whichever form it was given.
public enum TwilioRequestSignature {
    /// The signature Twilio sends for `url` and `fields`.
    public static func compute(url: String, fields: [(name: String, value: String)], authToken: String) -> String {
        var text = url
        // Sorted as Python's sorted() sorts str (by code point, which UTF-8 byte order keeps),
        // each distinct value once, as the reference validator does.
        let names = Set(fields.map(\.name)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for name in names {
            let values = Set(fields.filter { $0.name == name }.map(\.value)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for value in values { text += name + value }
        }
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(authToken.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// Whether `signature` is Twilio's for this request.
    public static func isValid(signature: String, url: String, fields: [(name: String, value: String)], authToken: String) -> Bool
    {
        guard !signature.isEmpty, !authToken.isEmpty else { return false }
        return urlForms(url).contains { form in
            constantTimeEqual(compute(url: form, fields: fields, authToken: authToken), signature)
        }
    }

    /// `url`, and the same with its scheme's default port added or removed.
    static func urlForms(_ url: String) -> [String] {
        guard var parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased() else { return [url] }
        let defaultPort = scheme == "https" ? 443 : 80
        if parts.port == defaultPort {
            parts.port = nil
        } else if parts.port == nil {
            parts.port = defaultPort
        } else {
            return [url]
        }
        return [url, parts.string ?? url]
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
