import Foundation
import Hummingbird
import Logging
import NIOCore
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// The Segment Tracking API: `identify`, `track`, `page`, `screen`, `group`, `alias` and
/// `batch`, so that Segment's own libraries can send to Tutti unchanged. Limits as Segment's:
/// 32 KB a message, 500 KB a batch.
enum IngestionRoutes {
    static let messageLimit = 32 * 1024
    static let batchLimit = 500 * 1024

    struct IngestAnswer: Encodable, Sendable {
        var success = true
        var stored: Int
        /// Messages not stored because their messageId was stored before or repeated.
        var duplicates: Int
        /// Per-message notes for a batch: which messages were skipped as repeats within it.
        var skipped: [SkippedMessage]
    }

    struct SkippedMessage: Encodable, Sendable {
        var index: Int
        var messageID: String
        var reason: String

        enum CodingKeys: String, CodingKey {
            case index, reason
            case messageID = "message_id"
        }
    }

    /// Later messages of a batch that repeat an earlier one's messageId (only the first is stored).
    static func repeatedMessageIDs(_ raw: [(SegmentMessage.Kind, [String: JSONValue])]) -> [SkippedMessage] {
        var seen: Set<String> = []
        var skipped: [SkippedMessage] = []
        for (index, (_, json)) in raw.enumerated() {
            guard let id = json["messageId"]?.stringValue, !id.isEmpty else { continue }
            if !seen.insert(id).inserted {
                skipped.append(SkippedMessage(index: index, messageID: id, reason: "repeats the messageId of an earlier message in this batch; only the first is stored"))
            }
        }
        return skipped
    }

    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        for kind in SegmentMessage.Kind.allCases {
            group.post("/\(kind.rawValue)") { request, context -> Response in
                let principal = try context.require(.ingest)
                let json = try await readJSON(request, limit: messageLimit)
                guard let object = json.objectValue else { throw Problem.badRequest("The body must be a JSON object.", slug: "malformed-json") }
                return try await ingest([(kind, object)], batchSentAt: nil, batchContext: [:], fieldPrefix: "", principal: principal, context: context, dependencies: dependencies)
            }
        }

        group.post("/batch") { request, context -> Response in
            let principal = try context.require(.ingest)
            let json = try await readJSON(request, limit: batchLimit)
            guard let object = json.objectValue, case .array(let items)? = object["batch"] else {
                throw ValidationError(field: "batch", message: "must be an array of messages").problem
            }
            var messages: [(SegmentMessage.Kind, [String: JSONValue])] = []
            var errors: [Problem.FieldError] = []
            for (index, item) in items.enumerated() {
                guard let message = item.objectValue else {
                    errors.append(.init(field: "batch[\(index)]", message: "must be an object"))
                    continue
                }
                guard let type = message["type"]?.stringValue, let kind = SegmentMessage.Kind(rawValue: type) else {
                    errors.append(.init(field: "batch[\(index)].type", message: "must be one of identify, track, page, screen, group, alias"))
                    continue
                }
                if JSONValue.object(message).compactText.utf8.count > messageLimit {
                    errors.append(.init(field: "batch[\(index)]", message: "is larger than 32 KB"))
                    continue
                }
                messages.append((kind, message))
            }
            // The batch's own sentAt and context, absent or null, or as the document says.
            var sentAt: Date?
            switch object["sentAt"] {
            case nil, .null?, .string("")?: break
            case .string(let text)? where ISO8601.parse(text) != nil: sentAt = ISO8601.parse(text)
            default: errors.append(.init(field: "sentAt", message: "must be an ISO 8601 date-time"))
            }
            var batchContext: [String: JSONValue] = [:]
            switch object["context"] {
            case nil, .null?: break
            case .object(let members)?: batchContext = members
            default: errors.append(.init(field: "context", message: "must be an object"))
            }
            guard errors.isEmpty else { throw Problem.validation(errors, detail: "Nothing of this batch was stored.") }
            return try await ingest(
                messages, batchSentAt: sentAt, batchContext: batchContext, fieldPrefix: "batch",
                principal: principal, context: context, dependencies: dependencies)
        }
    }

    /// The body as one JSON value (refusals as ``Request/collectJSONBody(limit:)``), read by
    /// ``JSONScanner``: Foundation's decoder into ``JSONValue`` took
    /// most of the API's CPU under sustained ingestion.
    private static func readJSON(_ request: Request, limit: Int) async throws -> JSONValue {
        let buffer = try await request.collectJSONBody(limit: limit)
        do {
            return try JSONScanner.parse(buffer.readableBytesView)
        } catch {
            throw Problem.badRequest("The body is not valid JSON: it \(error.message) (byte \(error.offset)).", slug: "malformed-json")
        }
    }

    /// Checks every message (all or nothing), then stores them in one transaction.
    ///
    /// The check runs before the transaction opens, without the tenant's default country, which
    /// only national phone numbers need: done inside, it kept a connection idle in its
    /// transaction for as long as the whole batch took to check. A batch that fails without
    /// the country is checked again inside, with it.
    private static func ingest(
        _ raw: [(SegmentMessage.Kind, [String: JSONValue])], batchSentAt: Date?, batchContext: [String: JSONValue],
        fieldPrefix: String, principal: Principal, context: APIRequestContext, dependencies: APIDependencies
    ) async throws -> Response {
        let receivedAt = Date()
        let requestID = context.requestID
        let check = { (country: String?) throws -> [IngestMessage] in
            try checkMessages(raw, batchSentAt: batchSentAt, batchContext: batchContext, fieldPrefix: fieldPrefix, defaultCountry: country)
        }
        let checked = try? check(nil)
        let result = try await dependencies.database.withCustomers(principal, logger: context.logger) { session in
            let messages = if let checked { checked } else { try check(try await session.tenantGet()?.defaultCountry) }
            let result = try await session.ingest(messages, receivedAt: receivedAt, requestID: requestID)
            // In the events' transaction: an accepted event has its firing recorded.
            _ = try await TriggerMatcher.fire(
                result.events, tenant: principal.tenantID, cache: dependencies.triggers, session: session)
            return result
        }
        return try JSONResponse.make(.ok, IngestAnswer(stored: result.stored, duplicates: result.duplicates, skipped: repeatedMessageIDs(raw)))
    }

    /// Every message of `raw` made ready to store, or a validation problem naming every field
    /// of every message that is wrong (nothing of the request is stored then).
    private static func checkMessages(
        _ raw: [(SegmentMessage.Kind, [String: JSONValue])], batchSentAt: Date?, batchContext: [String: JSONValue],
        fieldPrefix: String, defaultCountry country: String?
    ) throws -> [IngestMessage] {
        var messages: [IngestMessage] = []
        messages.reserveCapacity(raw.count)
        var errors: [Problem.FieldError] = []
        for (index, (kind, json)) in raw.enumerated() {
            let prefix = fieldPrefix.isEmpty ? "" : "\(fieldPrefix)[\(index)]."
            do {
                let message = try SegmentMessage(kind: kind, json: json, batchSentAt: batchSentAt, batchContext: batchContext)
                messages.append(IngestMessage(
                    message: message, identities: try message.identities(defaultCountry: country), attributes: try message.attributeWrite()))
            } catch let error as ValidationError {
                errors.append(.init(field: prefix + error.field, message: error.message))
            } catch let error as ValidationErrors {
                errors += error.errors.map { .init(field: prefix + $0.field, message: $0.message) }
            }
        }
        guard errors.isEmpty else { throw Problem.validation(errors, detail: "Nothing of this request was stored.") }
        return messages
    }
}
