import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing
import TuttiRuntime
import TuttiStore
import TuttiTestSupport

extension CampaignFixture {
    /// A triggered campaign's definition over the fixture's template and channels.
    func triggered(_ trigger: String, name: String = "Cart") -> String {
        """
        {"name": "\(name)", "template_id": "\(templateID)", "channels": ["\(channels[0])"], "trigger": \(trigger)}
        """
    }
}

extension TestClientProtocol {
    /// Creates and launches a triggered campaign; returns its id.
    func armedTrigger(_ fixture: CampaignFixture, _ trigger: String) async throws -> String {
        let created = try await createCampaign(fixture.tenant, fixture.triggered(trigger))
        let id = try #require(created["id"] as? String)
        let (status, launched) = try await send(.post, "/v1/campaigns/\(id)/launch", fixture.tenant)
        try #require(status == .ok, "launch answered \(status): \(launched)")
        return id
    }

    /// Posts one `track` for `user` and expects it accepted.
    func track(
        _ tenant: CreatedTenant, user: String, event: String, properties: String = "{}", messageID: String = UUID().uuidString,
        timestamp: String? = nil
    ) async throws {
        let time = timestamp.map { #", "timestamp": "\#($0)""# } ?? ""
        let (status, body) = try await ingest(
            tenant, "/v1/track",
            #"{"userId": "\#(user)", "event": "\#(event)", "properties": \#(properties), "messageId": "\#(messageID)"\#(time)}"#)
        try #require(status == .ok, "track answered \(status): \(body)")
    }
}

/// A firing as the tests read it, with its message's state and its job, if any.
struct FiringSeen: Sendable {
    var record: TriggerFiringRecord
    var messageState: String?
    var skipReason: String?
    var jobRunAt: Date?
}

/// The campaign's firings, oldest first, with their messages' states.
func firings(_ tenant: CreatedTenant, campaign: String) async throws -> [FiringSeen] {
    let tenantID = try #require(UUID(uuidString: tenant.id))
    let campaignID = try #require(UUID(uuidString: campaign))
    return try await withTestDatabase { database in
        try await database.withTenant(tenantID, logger: TestDatabase.logger) { session in
            var seen: [FiringSeen] = []
            for record in try await session.triggerFirings(campaignID: campaignID).reversed() {
                var firing = FiringSeen(record: record)
                if let message = record.messageID {
                    let rows = try await session.connection.query(
                        """
                        SELECT m.state, m.skip_reason, q.run_at FROM messages AS m
                        LEFT JOIN queue_jobs AS q ON q.tenant_id = m.tenant_id AND q.id = m.job_id
                        WHERE m.tenant_id = \(tenantID) AND m.id = \(message)
                        """, logger: TestDatabase.logger)
                    for try await (state, reason, runAt) in rows.decode((String, String?, Date?).self) {
                        firing.messageState = state
                        firing.skipReason = reason
                        firing.jobRunAt = runAt
                    }
                }
                seen.append(firing)
            }
            return seen
        }
    }
}
