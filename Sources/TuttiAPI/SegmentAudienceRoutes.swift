import Foundation
import Hummingbird
import Logging
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// Who is in a segment: `GET /v1/segments/{id}/count` and `GET /v1/segments/{id}/members`, one
/// set-based query each (``RuleSQLCompiler``); and which segments one customer is in right now,
/// `GET /v1/customers/{id}/segments`, through the in-memory ``RuleEvaluator`` over the profile
/// and exactly the event aggregates the tenant's segments read, loaded in one round trip.
/// Every answer is at the database's clock.
enum SegmentAudienceRoutes {
    struct CountResource: Encodable {
        var count: Int
        var segmentID: String
        var version: Int
        var computedAt: Date

        enum CodingKeys: String, CodingKey {
            case count, segmentID = "segment_id", version, computedAt = "computed_at"
        }
    }

    struct MemberResource: Encodable {
        var id: String

        init(_ id: UUID) { self.id = id.lowercasedText }
    }

    struct MembershipResource: Encodable {
        var id: String
        var name: String
        var version: Int
    }

    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        let database = dependencies.database

        group.get("/segments/:id/count") { _, context -> Response in
            let principal = try context.require(.read)
            let id = try context.uuidParameter("id")
            let answer = try await database.withTenant(principal.tenantID, logger: context.logger) { session -> CountResource? in
                guard let segment = try await session.segmentGet(id: id) else { return nil }
                let now = try await session.databaseNow()
                let count = try await session.ruleCount(segment.rule, now: now)
                return CountResource(count: count, segmentID: segment.id.lowercasedText, version: segment.version, computedAt: now.date)
            }
            guard let answer else { throw Problem.notFound("No segment with this id.") }
            return try JSONResponse.make(.ok, answer)
        }

        group.get("/segments/:id/members") { request, context -> Response in
            let principal = try context.require(.read)
            let id = try context.uuidParameter("id")
            let pageRequest = try request.pageRequest()
            let page = try await database.withTenant(principal.tenantID, logger: context.logger) { session -> Page<UUID>? in
                guard let segment = try await session.segmentGet(id: id) else { return nil }
                let now = try await session.databaseNow()
                let ids = try await session.ruleMemberPage(segment.rule, now: now, after: pageRequest.after, limit: pageRequest.limit + 1)
                return Page(fetched: ids, request: pageRequest, id: { $0 })
            }
            guard let page else { throw Problem.notFound("No segment with this id.") }
            return try JSONResponse.make(.ok, ListResource(data: page.items.map(MemberResource.init), nextCursor: page.nextCursor))
        }

        group.get("/customers/:id/segments") { _, context -> Response in
            let principal = try context.require(.read)
            let id = try context.uuidParameter("id")
            let memberships = try await database.withTenant(principal.tenantID, logger: context.logger) { session -> [MembershipResource]? in
                guard let live = try await session.customerResolve(id: id) else { return nil }
                let segments = try await session.segmentsAll()
                let aggregates = segments.reduce(into: Set<EventAggregate>()) { $0.formUnion($1.rule.eventAggregates) }
                let now = try await session.databaseNow()
                guard let subject = try await session.loadRuleSubject(customerID: live, aggregates: aggregates, now: now) else { return nil }
                return segments.filter { RuleEvaluator($0.rule).evaluate(subject, now: now) }
                    .map { MembershipResource(id: $0.id.lowercasedText, name: $0.name, version: $0.version) }
            }
            guard let memberships else { throw Problem.notFound("No customer with this id.") }
            return try JSONResponse.make(.ok, ListResource(data: memberships, nextCursor: nil))
        }
    }
}
