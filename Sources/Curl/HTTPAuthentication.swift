/// Credentials libcurl applies to an ``HTTPRequest`` itself, rather than a header the caller
/// writes: HTTP Basic, or an AWS Signature Version 4 over the whole request.
///
/// SigV4 is computed by libcurl (`CURLOPT_AWS_SIGV4`) from the final method, URL, headers and
/// body, so a request must not be changed after signing; that is why it is an option of the
/// exchange and not something a connector computes. The description never shows a secret, so a
/// request can be logged without leaking one.
public struct HTTPAuthentication: Sendable, Hashable, CustomStringConvertible {
    enum Base: Sendable, Hashable {
        case basic(username: String, password: String)
        case awsSigV4(provider: String, accessKeyID: String, secretAccessKey: String)
    }

    let base: Base

    /// HTTP Basic (`Authorization: Basic base64(username:password)`), sent with the first request.
    public static func basic(username: String, password: String) -> HTTPAuthentication {
        HTTPAuthentication(base: .basic(username: username, password: password))
    }

    /// AWS Signature Version 4 for `service` (e.g. `ses`, `sns`) in `region` (e.g. `eu-west-1`):
    /// libcurl adds `Authorization` and `X-Amz-Date`. For temporary credentials add the
    /// `X-Amz-Security-Token` header to the request yourself; it is signed like any other header.
    public static func awsSigV4(region: String, service: String, accessKeyID: String, secretAccessKey: String) -> HTTPAuthentication {
        HTTPAuthentication(base: .awsSigV4(provider: "aws:amz:\(region):\(service)", accessKeyID: accessKeyID, secretAccessKey: secretAccessKey))
    }

    /// The scheme and the public part of the credential, never the secret.
    public var description: String {
        switch base {
        case .basic(let username, _): "basic(\(username))"
        case .awsSigV4(let provider, let accessKeyID, _): "aws-sigv4(\(provider), \(accessKeyID))"
        }
    }
}
