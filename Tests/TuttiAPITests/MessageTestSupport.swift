import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing
import TuttiAPI
import TuttiStore
import TuttiTestSupport

/// A SendGrid channel: it sends to the customer's `email` identity, under the `email` consent.
var sendGridChannel: [String: Any] {
    ["type": "sendgrid", "name": "Mail", "config": ["api_key": "SG.test-key", "from_address": "news@shop.example.com"]]
}

extension TestClientProtocol {
    /// `POST /v1/messages` for `customer` on `channel`, with an Idempotency-Key when given.
    func postMessage(
        _ tenant: CreatedTenant, customer: String, channel: String, text: String = "Hello", idempotencyKey: String? = nil
    ) async throws -> TestResponse {
        var headers = tenant.admin.with(.contentType, "application/json")
        if let idempotencyKey { headers[.idempotencyKey] = idempotencyKey }
        let body = #"{"customer_id": "\#(customer)", "channel_id": "\#(channel)", "content": {"subject": "Hi", "text": "\#(text)"}}"#
        return try await execute(uri: "/v1/messages", method: .post, headers: headers, body: ByteBuffer(string: body))
    }
}

/// How many messages and delivery jobs the tenant has, read from the database. Jobs count
/// whether pending or dead-lettered: worker processes of tests running alongside claim from
/// the same delivery queue and may have tried (and buried) one already.
func deliveryCounts(_ tenant: CreatedTenant) async throws -> (messages: Int, jobs: Int) {
    let tenantID = try #require(UUID(uuidString: tenant.id))
    return try await withTestDatabase { database in
        try await database.withTenant(tenantID, logger: TestDatabase.logger) { session in
            let rows = try await session.connection.query(
                """
                SELECT (SELECT count(*) FROM messages WHERE tenant_id = \(tenantID))::int8,
                       (SELECT count(*) FROM queue_jobs WHERE tenant_id = \(tenantID) AND queue = 'delivery')::int8
                       + (SELECT count(*) FROM queue_dead_letters WHERE tenant_id = \(tenantID) AND queue = 'delivery')::int8
                """, logger: TestDatabase.logger)
            for try await (messages, jobs) in rows.decode((Int, Int).self) { return (messages, jobs) }
            return (0, 0)
        }
    }
}

