import Foundation
import HTTPTypes
import Hummingbird
import Logging
import TuttiStore

/// Turns every error into an RFC 9457 problem response, so no client ever sees a bare 500, a
/// stack trace or a database message. Unknown paths are 404; known paths with another method
/// are 405. Unexpected errors are logged with the request id and answered with a generic 500.
///
/// `maxBodyBytes` only names the limit in a 413 for a body read past it; refusing a declared
/// `Content-Length` early is ``BodyLimitMiddleware``'s job, per route group, since routes differ
/// (imports stream gigabytes).
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteTable
    let maxBodyBytes: Int

    public init(routes: RouteTable, maxBodyBytes: Int) {
        self.routes = routes
        self.maxBodyBytes = maxBodyBytes
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = problem(for: error, request: request, logger: context.logger)
            return problem.response(path: request.uri.path, requestID: context.logger[metadataKey: "request.id"]?.description)
        }
    }

    private func problem(for error: any Error, request: Request, logger: Logger) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as HTTPError where error.status == .notFound:
            let allowed = routes.allowedMethods(for: request.uri.path)
            return allowed.isEmpty ? .notFound() : .methodNotAllowed(allowed: allowed)
        case let error as HTTPError where error.status == .contentTooLarge:
            return .contentTooLarge(limit: maxBodyBytes)
        case let error as HTTPError where error.status.code < 500:
            return Problem(error.status, slug: "http-\(error.status.code)", title: error.status.reasonPhrase, detail: error.body)
        case let error as StoreError where error.isUnavailable:
            logger.error("database unavailable", metadata: ["error": "\(error)"])
            return .serviceUnavailable("The database is unavailable; retry shortly.")
        case let error as StoreError where error.isSerializationFailure:
            logger.warning("transaction given up after repeated serialization failures", metadata: ["error": "\(error)"])
            return .serviceUnavailable("Concurrent writes to the same records collided; retry shortly.")
        case is CancellationError:
            return .serviceUnavailable("The server is shutting down; retry shortly.")
        default:
            logger.error("unhandled error", metadata: ["error.type": "\(type(of: error))", "error": "\(error)"])
            return .internalError
        }
    }
}
