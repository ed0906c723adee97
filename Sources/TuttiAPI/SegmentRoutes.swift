import Foundation
import Hummingbird
import Logging
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// Segments: named, versioned rules. `GET/POST /v1/segments`, `GET/PUT/DELETE
/// /v1/segments/{id}`, `GET /v1/segments/{id}/versions`; counting and listing members are in
/// ``SegmentAudienceRoutes``.
///
/// A segment that others name with `in segment` inlines their definitions as they are when it is
/// saved; changing a segment therefore saves a new version of every segment that names it,
/// directly or through others, so that `in segment "vip"` always means vip's current rule.
enum SegmentRoutes {
    struct WriteSegmentRequest: Decodable {
        var name: String
        var description: String?
        var rule: RuleInput
    }

    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        let database = dependencies.database
        let limit = dependencies.maxBodyBytes

        group.get("/segments") { request, context -> Response in
            let principal = try context.require(.read)
            let pageRequest = try request.pageRequest()
            let page = try await database.withTenant(principal.tenantID, logger: context.logger) { try await $0.segmentList(page: pageRequest) }
            return try JSONResponse.make(.ok, ListResource(data: page.items.map(SegmentResource.init), nextCursor: page.nextCursor))
        }

        group.post("/segments") { request, context -> Response in
            let principal = try context.require(.write)
            let body = try await request.decodeJSON(WriteSegmentRequest.self, limit: limit)
            let name = try validatedName(body.name)
            let segment = try await database.withSegments(principal, logger: context.logger) { session in
                let (text, rule) = try await session.checkRule(body.rule, defining: [name])
                return try await session.segmentInsert(name: name, description: body.description, ruleText: text, rule: rule)
            }
            return try JSONResponse.make(.created, SegmentResource(segment))
        }

        group.get("/segments/:id") { _, context -> Response in
            let principal = try context.require(.read)
            let id = try context.uuidParameter("id")
            let segment = try await database.withTenant(principal.tenantID, logger: context.logger) { try await $0.segmentGet(id: id) }
            guard let segment else { throw Problem.notFound("No segment with this id.") }
            return try JSONResponse.make(.ok, SegmentResource(segment))
        }

        group.put("/segments/:id") { request, context -> Response in
            let principal = try context.require(.write)
            let id = try context.uuidParameter("id")
            let body = try await request.decodeJSON(WriteSegmentRequest.self, limit: limit)
            let name = try validatedName(body.name)
            let segment = try await database.withSegments(principal, logger: context.logger) { session -> Segment? in
                guard let current = try await session.segmentGet(id: id) else { return nil }
                let (text, rule) = try await session.checkRule(body.rule, defining: [name, current.name])
                let updated = try await session.segmentUpdate(id: id, name: name, description: body.description, ruleText: text, rule: rule)
                if let updated, updated.version != current.version { try await session.segmentRefreshDependents(of: updated.name) }
                return updated
            }
            guard let segment else { throw Problem.notFound("No segment with this id.") }
            return try JSONResponse.make(.ok, SegmentResource(segment))
        }

        group.delete("/segments/:id") { _, context -> Response in
            let principal = try context.require(.write)
            let id = try context.uuidParameter("id")
            let deleted = try await database.withSegments(principal, logger: context.logger) { try await $0.segmentDelete(id: id) }
            guard deleted else { throw Problem.notFound("No segment with this id.") }
            return Response(status: .noContent)
        }

        group.get("/segments/:id/versions") { _, context -> Response in
            let principal = try context.require(.read)
            let id = try context.uuidParameter("id")
            let versions = try await database.withTenant(principal.tenantID, logger: context.logger) { try await $0.segmentVersions(id: id) }
            guard let versions else { throw Problem.notFound("No segment with this id.") }
            return try JSONResponse.make(.ok, ListResource(data: versions.map(SegmentVersionResource.init), nextCursor: nil))
        }
    }

    static func validatedName(_ raw: String) throws -> String {
        do throws(ValidationError) {
            return try DisplayName.validate(raw)
        } catch {
            throw error.problem
        }
    }
}

extension TenantSession {
    /// Saves a new version of every segment that names `name`, and of those that name them, so
    /// that they inline the current definitions. Bounded by the checker's segment depth.
    func segmentRefreshDependents(of name: String) async throws {
        var changed = [name]
        var rounds = 0
        while let next = changed.popLast(), rounds < RuleChecker.maximumSegmentDepth * 64 {
            rounds += 1
            for dependent in try await segmentDependents(of: next) {
                let (text, rule) = try await checkRule(.text(dependent.ruleText), defining: [dependent.name])
                let current = try await segmentGet(id: dependent.id)
                if let updated = try await segmentUpdate(
                    id: dependent.id, name: dependent.name, description: current?.description, ruleText: text, rule: rule),
                    updated.version != current?.version
                {
                    changed.append(updated.name)
                }
            }
        }
    }
}

extension Database {
    /// `withTenant` for segment writes: segment store errors become problems.
    func withSegments<Result: Sendable>(_ principal: Principal, logger: Logger, _ body: (TenantSession) async throws -> Result) async throws -> Result {
        do {
            return try await withTenant(principal.tenantID, logger: logger, body)
        } catch let error as SegmentWriteError {
            switch error {
            case .nameTaken(let name):
                throw Problem(.conflict, slug: "segment-name-taken", title: "Segment name taken", detail: "A segment named \"\(name)\" already exists.")
            case .referenced(let names):
                throw Problem(
                    .conflict, slug: "segment-in-use", title: "Segment in use",
                    detail: "Segments \(names.map { "\"\($0)\"" }.joined(separator: ", ")) name this segment in their rules; change them first.")
            }
        }
    }
}

/// A segment as the API shows it.
struct SegmentResource: Encodable {
    var id: String
    var name: String
    var description: String?
    var version: Int
    var rule: String
    var ruleJSON: RuleExpression
    var references: [SegmentReference]
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, description, version, rule, ruleJSON = "rule_json", references, createdAt = "created_at", updatedAt = "updated_at"
    }

    init(_ segment: Segment) {
        id = segment.id.lowercasedText
        name = segment.name
        description = segment.description
        version = segment.version
        rule = segment.ruleText
        ruleJSON = segment.rule
        references = segment.references
        createdAt = segment.createdAt
        updatedAt = segment.updatedAt
    }
}

/// One version of a segment's rule as the API shows it.
struct SegmentVersionResource: Encodable {
    var version: Int
    var rule: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case version, rule, createdAt = "created_at"
    }

    init(_ version: SegmentVersion) {
        self.version = version.version
        rule = version.ruleText
        createdAt = version.createdAt
    }
}
