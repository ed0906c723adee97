import Foundation
import Hummingbird
import Logging
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// Bulk import: `POST /v1/imports` streams NDJSON or CSV of any size (up to
/// `TUTTI_MAX_IMPORT_BYTES`) into customers, and answers when the body ends;
/// `GET /v1/imports/{id}` shows its progress meanwhile, and its result after; `GET /v1/imports`
/// lists them and `POST /v1/imports/{id}/cancel` stops one (``addStatusRoutes(to:dependencies:)``).
///
/// These routes sit in a group of their own, without the idempotency middleware (which holds
/// bodies in memory): an import is idempotent per row identity instead, so sending a file
/// again creates no customer twice.
enum ImportRoutes {
    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        let database = dependencies.database
        let limit = dependencies.configuration.http.maxImportBytes

        group.post { request, context -> Response in
            let principal = try context.require(.write)
            guard let contentType = request.headers[.contentType], let format = ImportFormat(contentType: contentType) else {
                throw Problem.unsupportedMediaType(
                    "Send the rows as application/x-ndjson or text/csv in UTF-8 (Content-Type was \(request.headers[.contentType].map { "\"\($0)\"" } ?? "missing")).")
            }
            let source = try sourceParameter(request)
            let country = try await database.withTenant(principal.tenantID, logger: context.logger) { try await $0.tenantGet()?.defaultCountry }
            var reader = ImportBodyReader(body: request.body, parser: ImportParser(format: format, defaultCountry: country), limit: limit)

            // Nothing is recorded for a body without rows or with an unusable header.
            let first: ImportItem
            do {
                guard let item = try await reader.next() else {
                    throw Problem.validation([], detail: "The body holds no rows to import.")
                }
                first = item
            } catch let error as ImportHeaderError {
                throw Problem.validation(
                    error.errors.map { .init(field: $0.field, line: $0.line, message: $0.message) }, detail: "The CSV header cannot be read; nothing was imported.")
            } catch ImportBodyFailure.tooLarge(let limit) {
                throw Problem.contentTooLarge(limit: limit)
            } catch ImportBodyFailure.broken {
                throw Problem.badRequest("The body broke off before its end; nothing was imported.", slug: "body-incomplete")
            }

            let id = UUID.v7()
            _ = try await database.withTenant(principal.tenantID, logger: context.logger) { session in
                try await session.importInsert(id: id, format: format, source: source)
            }
            var logger = context.logger
            logger[metadataKey: "import.id"] = "\(id.lowercasedText)"
            logger.notice("import started", metadata: ["import.format": "\(format.rawValue)"])
            let started = ContinuousClock.now
            let runner = ImportRunner(
                database: database, principal: principal, importID: id, identitySource: "import:\(source ?? id.lowercasedText)",
                requestID: context.requestID, logger: logger)
            let record: ImportRecord
            do {
                record = try await runner.run(first: first, reader: &reader)
            } catch ImportBodyFailure.tooLarge(let limit) {
                var problem = Problem.contentTooLarge(limit: limit)
                problem.detail = "The body is larger than the import limit of \(limit) bytes; the rows before it are kept (GET /v1/imports/\(id.lowercasedText))."
                throw problem
            } catch ImportBodyFailure.broken {
                throw Problem.badRequest("The body broke off before its end; the rows read before are kept (GET /v1/imports/\(id.lowercasedText)).", slug: "body-incomplete")
            } catch let stopped as ImportStopped {
                logger.notice("import stopped", metadata: ["import.status": "\(stopped.status.rawValue)"])
                throw Problem.conflict(
                    "The import was \(stopped.status.rawValue) while it ran: the rows committed before stay, nothing after was read (GET /v1/imports/\(id.lowercasedText)).",
                    slug: "import-\(stopped.status.rawValue)")
            }
            logger.notice("import finished", metadata: [
                "import.rows_ok": "\(record.rowsOK)", "import.rows_failed": "\(record.rowsFailed)",
                "import.seconds": "\((ContinuousClock.now - started).components.seconds)",
            ])
            var response = try JSONResponse.make(.created, ImportResource(record))
            response.headers[.location] = "/v1/imports/\(id.lowercasedText)"
            return response
        }

        addStatusRoutes(to: group, dependencies: dependencies)
    }

    /// `?source=crm`: where the rows come from, kept with the import and, as `import:crm`, with
    /// every identity it adds and every attribute key it writes.
    static func sourceParameter(_ request: Request) throws -> String? {
        guard let text = request.uri.queryParameters["source"].map(String.init) else { return nil }
        guard (1...64).contains(text.count), text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-.:".contains($0)) }) else {
            throw Problem.badRequest("source must be 1 to 64 letters, digits, '_', '-', '.' or ':'.", slug: "invalid-query")
        }
        return text
    }
}
