import Foundation
import Hummingbird
import Logging
import TuttiDomain
import TuttiRuntime

/// Per-request state of the API: Hummingbird's core storage plus who is calling, once the
/// authentication middleware has found out.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by ``AuthenticationMiddleware`` on every `/v1` route except operator routes.
    public var principal: Principal?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.principal = nil
    }

    /// The caller, if its role permits `permission`; otherwise a 403 (or 401 if unauthenticated).
    public func require(_ permission: Permission) throws -> Principal {
        guard let principal else { throw Problem.unauthorized("Send an API key as `Authorization: Bearer <key>`.") }
        guard principal.role.permits(permission) else {
            throw Problem.forbidden("A key with role \(principal.role.rawValue) may not \(permission.verb).")
        }
        return principal
    }
}

extension Permission {
    fileprivate var verb: String {
        switch self {
        case .read: "read this resource"
        case .write: "change this resource"
        case .administer: "manage API keys or the tenant"
        case .ingest: "send tracking data"
        }
    }
}
