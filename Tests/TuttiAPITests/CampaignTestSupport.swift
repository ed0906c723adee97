import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing
import TuttiRuntime
import TuttiStore
import TuttiTestSupport

/// What a campaign names, made for one tenant: a template, two webhook channels and a segment.
struct CampaignFixture {
    var tenant: CreatedTenant
    var templateID: String
    var channels: [String]
    var segmentID: String

    /// A valid definition over the fixture, with `extra` members added (JSON text without braces).
    func definition(name: String = "Spring", schedule: String = #"{"type": "now"}"#, extra: String = "") -> String {
        """
        {"name": "\(name)", "audience": {"segment_id": "\(segmentID)"}, "template_id": "\(templateID)",
         "channels": ["\(channels[0])", "\(channels[1])"], "schedule": \(schedule)\(extra.isEmpty ? "" : ", " + extra)}
        """
    }
}

extension TestClientProtocol {
    /// A tenant with a template (written as the templates store writes it: a row and its first
    /// version), two webhook channels and a segment.
    func campaignFixture(_ name: String = "Tenant") async throws -> CampaignFixture {
        let tenant = try await createTenant(name)
        var channels: [String] = []
        for index in 0..<2 {
            let secret = "whsec_" + Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
            let channel = try await createChannel(
                tenant,
                [
                    "type": "webhook", "name": "Hook \(index)",
                    "config": ["url": "https://hooks.example.com/\(index)", "secret": secret],
                ])
            channels.append(try #require(channel["id"] as? String))
        }
        let segmentID = try await segment(tenant, name: "Gold", rule: #"attributes.plan = "gold""#)
        let templateID = try await insertTemplate(tenant)
        return CampaignFixture(tenant: tenant, templateID: templateID, channels: channels, segmentID: segmentID)
    }

    /// Creates a campaign and returns its answer.
    func createCampaign(_ tenant: CreatedTenant, _ json: String) async throws -> [String: Any] {
        let (status, body) = try await send(.post, "/v1/campaigns", tenant, json: json)
        try #require(status == .created, "campaign create answered \(status): \(body)")
        return body
    }
}

/// Runs SQL in `tenant`'s transaction, as the engine's statements would.
func tenantSQL(_ tenant: CreatedTenant, _ statement: PostgresQuery) async throws {
    try await withTestDatabase { database in
        try await database.withTenant(UUID(uuidString: tenant.id)!, logger: TestDatabase.logger) { session in
            try await session.connection.query(statement, logger: TestDatabase.logger).collect()
        }
    }
}

/// A template at `versions` versions, the latest current, as TenantSession+Templates writes them.
func insertTemplate(_ tenant: CreatedTenant, versions: Int = 1) async throws -> String {
    let id = UUID()
    let definition = #"{"name": "Welcome", "parts": {"email": {"subject": "Hi", "html": "<p>Hi {{customer.id}}</p>"}}}"#
    try await tenantSQL(
        tenant,
        "INSERT INTO templates (tenant_id, id, name, current_version) VALUES (\(UUID(uuidString: tenant.id)!), \(id), 'Welcome', \(Int32(versions)))"
    )
    for version in 1...versions {
        try await tenantSQL(
            tenant,
            """
            INSERT INTO template_versions (tenant_id, template_id, version, definition)
            VALUES (\(UUID(uuidString: tenant.id)!), \(id), \(Int32(version)), \(definition)::jsonb)
            """)
    }
    return id.uuidString.lowercased()
}

extension Dictionary where Key == String, Value == Any {
    /// The `counts` member of a campaign.
    var counts: [String: Any] { self["counts"] as? [String: Any] ?? [:] }
}
