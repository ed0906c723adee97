import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Logging
import TuttiRuntime
import TuttiDomain
import TuttiStore

extension HTTPField.Name {
    /// `Idempotency-Key` (IETF draft-ietf-httpapi-idempotency-key-header).
    public static let idempotencyKey = Self("Idempotency-Key")!
    /// Set on a response that replays a stored one.
    public static let idempotentReplayed = Self("Idempotent-Replayed")!
}

/// Makes a `POST` with an `Idempotency-Key` safe to retry: the first successful response is
/// stored for 24 hours and replayed for the same key, method, path and body; the same key with
/// a different request is refused with 422; a retry while the first is still running gets 409.
///
/// The key is claimed in its own committed transaction before the request runs, so concurrent
/// duplicates see the claim. Failures (thrown problems, 5xx) release the claim: nothing was
/// done, so the client may retry with the same key.
struct IdempotencyMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    static let retention: Duration = .seconds(24 * 60 * 60)

    let database: Database
    let maxBodyBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post, let key = request.headers[.idempotencyKey], let principal = context.principal else {
            return try await next(request, context)
        }
        guard (1...255).contains(key.utf8.count), key.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0.asciiValue.map { $0 >= 0x21 && $0 < 0x7F } == true }) else {
            throw Problem.badRequest("Idempotency-Key must be 1 to 255 visible ASCII characters.", slug: "invalid-idempotency-key")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxBodyBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Problem.contentTooLarge(limit: maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw Problem.contentTooLarge(limit: maxBodyBytes)
        }
        let path = request.uri.path
        var hasher = SHA256()
        hasher.update(data: Data("\(request.method.rawValue) \(path)\n".utf8))
        hasher.update(data: Data(body.readableBytesView))
        let requestHash = Data(hasher.finalize())

        let decision = try await database.withTenant(principal.tenantID, logger: context.logger) { session in
            try await session.idempotencyBegin(
                key: key, method: request.method.rawValue, path: path, requestHash: requestHash, retention: Self.retention)
        }
        switch decision {
        case .replay(let status, let contentType, let stored):
            var headers: HTTPFields = [.idempotentReplayed: "true"]
            if let contentType { headers[.contentType] = contentType }
            return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: stored)))
        case .mismatch:
            throw Problem(
                .unprocessableContent, slug: "idempotency-key-reused", title: "Idempotency Key Reused",
                detail: "This Idempotency-Key was used for a different request in the last 24 hours; use a new key.")
        case .inProgress:
            throw Problem.conflict("A request with this Idempotency-Key is still being processed; retry later.", slug: "idempotency-key-in-progress")
        case .proceed:
            break
        }

        var replayable = request
        replayable.body = .init(buffer: body)
        let response: Response
        do {
            response = try await next(replayable, context)
        } catch {
            await release(key: key, principal: principal, context: context)
            throw error
        }
        guard (200..<300).contains(response.status.code) else {
            await release(key: key, principal: principal, context: context)
            return response
        }
        let collector = ResponseCollector()
        try await response.body.write(collector)
        let responseBody = collector.buffer
        try await database.withTenant(principal.tenantID, logger: context.logger) { session in
            try await session.idempotencyComplete(
                key: key, status: Int(response.status.code), contentType: response.headers[.contentType],
                body: Data(responseBody.readableBytesView))
        }
        return Response(status: response.status, headers: response.headers, body: .init(byteBuffer: responseBody))
    }

    private func release(key: String, principal: Principal, context: Context) async {
        do {
            try await database.withTenant(principal.tenantID, logger: context.logger) { session in
                try await session.idempotencyAbandon(key: key)
            }
        } catch {
            context.logger.warning("could not release idempotency key", metadata: ["error": "\(error)"])
        }
    }
}

/// Gathers a response body so that it can be stored and sent.
private final class ResponseCollector: ResponseBodyWriter {
    var buffer = ByteBuffer()

    func write(_ part: ByteBuffer) async throws {
        var part = part
        buffer.writeBuffer(&part)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
