import Foundation
import Hummingbird
import Logging
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// Resolves `Authorization: Bearer <key>` to a ``Principal`` for every route behind it, or
/// answers 401. Garbage tokens are refused before they reach the database. The ingestion
/// routes also take the key as the HTTP Basic user name, as Segment's libraries send it.
/// Keys seen before are answered from `cache` (see ``APIKeyCache``) without a round trip.
public struct AuthenticationMiddleware: RouterMiddleware {
    public typealias Context = APIRequestContext
    let database: Database
    let cache: APIKeyCache?
    let acceptsBasic: Bool

    public init(database: Database, cache: APIKeyCache? = nil, acceptsBasic: Bool = false) {
        self.database = database
        self.cache = cache
        self.acceptsBasic = acceptsBasic
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw Problem.unauthorized("Send an API key as `Authorization: Bearer <key>`.")
        }
        let credential = Self.bearerCredential(header) ?? (acceptsBasic ? Self.basicUserName(header) : nil)
        guard let credential, let token = APIKeyToken(parsing: credential) else {
            throw Problem.unauthorized("The Authorization header does not carry a Tutti API key (`Bearer tutti_…`).")
        }
        guard let principal = try await database.apiKeyAuthenticate(token, cache: cache, logger: context.logger) else {
            throw Problem.unauthorized("The API key is unknown or has been revoked.")
        }
        var context = context
        context.principal = principal
        context.logger[metadataKey: "tenant.id"] = .string(principal.tenantID.uuidString.lowercased())
        context.logger[metadataKey: "api_key.id"] = .string(principal.keyID.uuidString.lowercased())
        return try await next(request, context)
    }

    /// The user name of `Basic base64(user:password)`; Segment sends the write key there.
    static func basicUserName(_ header: String) -> Substring? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "basic", let decoded = Base64URL.decodeStandard(String(parts[1])),
            let text = String(data: decoded, encoding: .utf8)
        else { return nil }
        return text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first
    }

    /// The credential after a case-insensitive `Bearer ` scheme, trimmed.
    static func bearerCredential(_ header: String) -> Substring? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].drop(while: { $0 == " " })
    }
}
