import Crypto
import Foundation

/// SHA-256 of an API key's secret: what the database keeps instead of the secret.
public enum APIKeySecretHash {
    public static func digest(of secret: String) -> Data {
        Data(SHA256.hash(data: Data(secret.utf8)))
    }
}
