import Foundation
import Hummingbird
import Logging
import TuttiDomain
import TuttiRuntime
import TuttiStore

extension ImportRoutes {
    /// `GET /v1/imports` (newest first, cursor-paginated, `?status=` to filter),
    /// `GET /v1/imports/{id}`, and `POST /v1/imports/{id}/cancel`.
    ///
    /// Every query names the principal's tenant and runs in a transaction that row-level
    /// security confines to it, so another tenant's import is a 404, never a 403 that would
    /// tell it exists.
    static func addStatusRoutes(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        let database = dependencies.database

        group.get { request, context -> Response in
            let principal = try context.require(.read)
            let page = try request.pageRequest()
            var status: ImportStatus?
            if let text = request.uri.queryParameters["status"].map(String.init) {
                guard let parsed = ImportStatus(rawValue: text) else {
                    let known = ImportStatus.allCases.map(\.rawValue).joined(separator: ", ")
                    throw Problem.badRequest("status must be one of \(known).", slug: "invalid-query")
                }
                status = parsed
            }
            let imports = try await database.withTenant(principal.tenantID, logger: context.logger) { try await $0.importList(page: page, status: status) }
            return try JSONResponse.make(.ok, ListResource(data: imports.items.map { ImportResource($0, withErrors: false) }, nextCursor: imports.nextCursor))
        }

        group.get("/:id") { _, context -> Response in
            let principal = try context.require(.read)
            let id = try context.uuidParameter("id")
            let record = try await database.withTenant(principal.tenantID, logger: context.logger) { try await $0.importGet(id: id) }
            guard let record else { throw Problem.notFound("No import with this id.") }
            return try JSONResponse.make(.ok, ImportResource(record))
        }

        // Same role as starting an import. The import ends `cancelled` at once; the request
        // streaming it stops after the chunk it is writing (the answer waits for that chunk).
        group.post("/:id/cancel") { _, context -> Response in
            let principal = try context.require(.write)
            let id = try context.uuidParameter("id")
            let outcome = try await database.withTenant(principal.tenantID, logger: context.logger) { try await $0.importCancel(id: id) }
            switch outcome {
            case .cancelled(let record):
                context.logger.notice("import cancelled", metadata: ["import.id": "\(id.lowercasedText)"])
                return try JSONResponse.make(.ok, ImportResource(record))
            case .alreadyFinished(let record):
                throw Problem.conflict("The import is already \(record.status.rawValue); only a running import can be cancelled.", slug: "import-finished")
            case .notFound:
                throw Problem.notFound("No import with this id.")
            }
        }
    }
}
