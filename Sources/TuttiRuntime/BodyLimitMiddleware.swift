import HTTPTypes
import Hummingbird

/// Refuses with 413, before anything reads it, a request whose `Content-Length` declares a
/// body larger than `limit`. Applied per route group, because routes differ: JSON bodies are
/// small, imports stream gigabytes. A chunked body declares no length; whatever reads it
/// enforces the same limit as it goes (`collect(upTo:)`, the import's byte count).
public struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    public let limit: Int

    public init(limit: Int) {
        self.limit = limit
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw Problem.contentTooLarge(limit: limit)
        }
        return try await next(request, context)
    }
}
