import Crypto
import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// Checks an ``SNSMessage``'s signature with the certificate SNS names in `SigningCertURL`:
/// RSA PKCS#1 v1.5 over ``SNSMessage/stringToSign``, with SHA-1 for SignatureVersion 1 and
/// SHA-256 for 2 (Amazon's "Verifying the signatures of Amazon SNS messages").
public enum SNSSignature {
    /// The key a certificate holds.
    public typealias PublicKey = _RSA.Signing.PublicKey

    /// The RSA key of a PEM certificate, or nil when it is not one (or not RSA).
    public static func publicKey(certificatePEM: String) -> PublicKey? {
        guard let certificate = try? Certificate(pemEncoded: certificatePEM) else { return nil }
        return _RSA.Signing.PublicKey(certificate.publicKey)
    }

    /// Whether `message` is signed by `key`.
    public static func isValid(_ message: SNSMessage, key: PublicKey) -> Bool {
        guard let bytes = Data(base64Encoded: message.signature), !bytes.isEmpty else { return false }
        let signature = _RSA.Signing.RSASignature(rawRepresentation: bytes)
        let signed = Data(message.stringToSign.utf8)
        switch message.signatureVersion {
        case "1": return key.isValidSignature(signature, for: Insecure.SHA1.hash(data: signed), padding: .insecurePKCS1v1_5)
        case "2": return key.isValidSignature(signature, for: SHA256.hash(data: signed), padding: .insecurePKCS1v1_5)
        default: return false
        }
    }
}
