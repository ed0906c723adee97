import Crypto
import Foundation
import Hummingbird
import Logging
import TuttiRuntime

/// Checks the operator token that may create tenants (`TUTTI_OPERATOR_TOKEN`). An empty
/// configured token disables operator routes altogether.
struct OperatorToken: Sendable {
    let digest: SHA256Digest?

    init(configured: String) {
        digest = configured.isEmpty ? nil : SHA256.hash(data: Data(configured.utf8))
    }

    /// Throws 401 unless `request` carries the operator token as a bearer credential.
    func authorize(_ request: Request) throws {
        guard let digest else {
            throw Problem.unauthorized("Operator routes are disabled: TUTTI_OPERATOR_TOKEN is not set.")
        }
        guard let header = request.headers[.authorization],
            let credential = AuthenticationMiddleware.bearerCredential(header)
        else {
            throw Problem.unauthorized("Send the operator token as `Authorization: Bearer <token>`.")
        }
        // Comparing digests keeps the comparison's time independent of where the texts differ.
        let presented = SHA256.hash(data: Data(credential.utf8))
        guard presented == digest else {
            throw Problem.unauthorized("The operator token is not valid.")
        }
    }
}
