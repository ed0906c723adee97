import Foundation
import HTTPTypes
import Hummingbird
import Logging

extension HTTPField.Name {
    /// `X-Request-Id`: accepted from a proxy when it looks like an id, otherwise made here.
    public static let requestID = Self("X-Request-Id")!
}

/// Gives each request an id, puts it on every log line and response, and writes one access
/// log line when the request ends.
public struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    public static var metadataKey: String { "request.id" }

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = request.headers[.requestID].flatMap(Self.acceptable) ?? RandomRequestID.make()
        var context = context
        context.logger[metadataKey: Self.metadataKey] = .string(id)
        let started = ContinuousClock.now
        var response = try await next(request, context)
        response.headers[.requestID] = id
        let elapsed = ContinuousClock.now - started
        context.logger.info(
            "request",
            metadata: [
                "http.method": .string(request.method.rawValue),
                "http.path": .string(request.uri.path),
                "http.status": .stringConvertible(response.status.code),
                "http.duration_ms": .string(Self.milliseconds(elapsed)),
            ])
        return response
    }

    /// `elapsed` in milliseconds with three decimals, "1.234": as `String(format: "%.3f")` wrote
    /// it, without Foundation's formatter, which cost more than the rest of this line.
    static func milliseconds(_ elapsed: Duration) -> String {
        let (seconds, attoseconds) = elapsed.components
        let micros = max(0, seconds * 1_000_000 + (attoseconds + 500_000_000_000) / 1_000_000_000_000)
        let fraction = String(micros % 1000)
        return "\(micros / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// An incoming id is echoed only when it is short and plain, so it cannot inject log lines.
    private static func acceptable(_ value: String) -> String? {
        guard (1...128).contains(value.count),
            value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") })
        else { return nil }
        return value
    }
}
