import Foundation
import Hummingbird
import NIOCore
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// `POST /v1/offers/{id}/codes`: adds unique codes to an offer's pool, one per line
/// (`text/plain`) or one `{"code": "…"}` per line (`application/x-ndjson`). Codes already in
/// the pool or repeated in the upload are reported as duplicates, not refused; a line that is
/// no code at all refuses the whole upload (422, with its line), so nothing half-read is kept.
enum OfferCodeRoutes {
    /// How many duplicates the answer lists (`duplicate_count` counts them all).
    static let listedDuplicates = 100

    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        let database = dependencies.database
        let limit = dependencies.maxBodyBytes

        group.post("/offers/:id/codes") { request, context -> Response in
            let principal = try context.require(.write)
            let id = try context.uuidParameter("id")
            let ndjson = try mediaType(of: request)
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: limit)
            } catch let error as HTTPError where error.status == .contentTooLarge {
                throw Problem.contentTooLarge(limit: limit)
            } catch is NIOTooManyBytesError {
                throw Problem.contentTooLarge(limit: limit)
            }
            guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else {
                throw Problem.badRequest("The body is not valid UTF-8.", slug: "malformed-body")
            }
            let pool = OfferCodePool(text: text, ndjson: ndjson)
            guard pool.badLines.isEmpty else {
                throw Problem(
                    .unprocessableContent, slug: "invalid-codes", title: "Invalid Codes",
                    detail: "\(pool.badLines.count) line(s) hold no usable code; nothing was added.",
                    errors: pool.badLines.prefix(100).map { .init(line: $0.line, message: $0.message) })
            }
            guard !pool.codes.isEmpty else {
                throw Problem.validation(
                    [.init(field: "body", message: "must hold at least one code")], detail: "The upload holds no code.")
            }
            let result = try await database.withTenant(principal.tenantID, logger: context.logger) {
                session -> (OfferCodesAdded, Offer)? in
                guard let added = try await session.offerCodesAdd(offerID: id, codes: pool.codes),
                    let offer = try await session.offerGet(id: id)
                else { return nil }
                return (added, offer)
            }
            guard let (added, offer) = result else { throw Problem.notFound("No offer with this id.") }
            let duplicates = pool.repeated + added.alreadyInPool
            return try JSONResponse.make(
                .ok,
                OfferCodesResource(
                    added: added.added, duplicates: Array(duplicates.prefix(listedDuplicates)), duplicateCount: duplicates.count,
                    codes: .init(
                        total: offer.codesTotal, assigned: offer.codesAssigned, left: offer.codesTotal - offer.codesAssigned)))
        }
    }

    /// True for NDJSON, false for plain text; 415 for anything else.
    static func mediaType(of request: Request) throws -> Bool {
        let type = request.headers[.contentType]?.split(separator: ";", maxSplits: 1).first?
            .trimmingCharacters(in: .whitespaces).lowercased()
        switch type {
        case "text/plain": return false
        case "application/x-ndjson": return true
        default:
            throw Problem.unsupportedMediaType(
                "Send the codes as text/plain (one per line) or application/x-ndjson (one {\"code\": …} per line); Content-Type was \(request.headers[.contentType].map { "\"\($0)\"" } ?? "missing")."
            )
        }
    }
}
