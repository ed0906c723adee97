import Foundation
import GatewayStandIns
import PostgresNIO
import Testing
import TuttiDomain
import TuttiRuntime
import TuttiStore
import TuttiTestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

// In the serialized delivery suite: its worker claims from the one delivery queue of the
// test database, so tests that run workers take turns.
extension DeliveryProcessTests {
    /// RFC 8058 end to end through the real api, scheduler and worker processes: a campaign
    /// e-mail of topic `news` arrives in aiosmtpd with `List-Unsubscribe` and
    /// `List-Unsubscribe-Post` as Python's `email` package reads them and the same link in its
    /// body; a GET of the link changes nothing; the one-click POST (no key, no cookie) answers
    /// 200 without a redirect and opts the customer out of `news`; the next campaign of the
    /// topic queues the customer's message and the worker skips it (`opted-out`), while the
    /// other customer gets theirs; a transactional message carries no unsubscribe headers.
    @Test func aOneClickUnsubscribeFromACampaignMailSkipsTheCustomersNextMessageOfTheTopic() async throws {
        try await withTestDatabase { database in
            try await withSMTPSink { sink in
                try await runUnsubscribe(database: database, sink: sink)
            }
        }
    }

    private func runUnsubscribe(database: Database, sink: SMTPSink) async throws {
        let tenant = try await TestTenant.make("Unsubscribe", in: database)
        let apiPort = try freePorts(1)[0]
        // Links are https, as RFC 8058 requires, behind a TLS proxy the test stands in for by
        // calling the API over plain HTTP on the same port.
        let environment = try await deliveryEnvironment([
            "TUTTI_API_PORT": "\(apiPort)", "TUTTI_PUBLIC_URL": "https://127.0.0.1:\(apiPort)",
        ])
        let api = try SpawnedProcess("tutti-api", environment: environment)
        let worker = try SpawnedProcess("tutti-worker", environment: environment)
        let scheduler = try SpawnedProcess("tutti-scheduler", environment: environment)
        defer {
            scheduler.terminate()
            worker.terminate()
            api.terminate()
        }
        let base = "http://127.0.0.1:\(apiPort)"
        let admin = AdminClient(base: base, authorization: tenant.adminAuthorization)
        try #require(await waitUntilReady("\(base)/health/ready"), "tutti-api never became ready:\n\(api.text)")

        let smtp = try await admin.create(
            "/v1/channels",
            [
                "type": "smtp", "name": "mail",
                "config": ["host": "127.0.0.1", "port": sink.port, "security": "none", "from_address": "news@shop.example.com"],
            ])
        _ = try await admin.create("/v1/topics", ["key": "news", "name": "News"])
        var customers: [String: String] = [:]
        for name in ["ann", "bob"] {
            customers[name] = try await admin.create(
                "/v1/customers",
                ["identities": [["type": "email", "value": "\(name)@example.com"]], "attributes": ["list": "unsub"]])
        }
        let template = try await admin.create(
            "/v1/templates",
            [
                "name": "News",
                "parts": [
                    "email": [
                        "subject": "News",
                        "html":
                            #"<p>News</p><p><a href="{{links.unsubscribe}}">Unsubscribe</a> <a href="{{links.preferences}}">Preferences</a></p>"#,
                    ]
                ],
            ])
        func runCampaign(_ name: String) async throws -> String {
            let campaign = try await admin.create(
                "/v1/campaigns",
                [
                    "name": name, "audience": ["rule": #"attributes.list = "unsub""#], "template_id": template,
                    "channels": [smtp],
                    "schedule": ["type": "now"], "topic": "news",
                ])
            _ = try await admin.send("POST", "/v1/campaigns/\(campaign)/launch", [:], expect: 200)
            let done = try await pollUntil(timeout: .seconds(60)) {
                (try await admin.get("/v1/campaigns/\(campaign)")["state"] as? String) == "completed"
            }
            try #require(done, "campaign \(name) did not complete:\nscheduler:\n\(scheduler.text)\nworker:\n\(worker.text)")
            return campaign
        }

        _ = try await runCampaign("First")
        let mails = try await sink.messages(atLeast: 2)
        let ann = try #require(mails.first { $0.recipients == ["ann@example.com"] })
        #expect(ann.defects.isEmpty, "\(ann.defects)")
        let header = try #require(ann.header("List-Unsubscribe"), "no List-Unsubscribe in \(ann.raw)")
        #expect(ann.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click")
        let prefix = "<https://127.0.0.1:\(apiPort)/u/"
        #expect(header.hasPrefix(prefix) && header.hasSuffix(">"), "\(header)")
        let link = String(header.dropFirst(1).dropLast(1).split(separator: ">")[0])
        let html = ann.part("text/html")?["content"] as? String ?? ""
        #expect(html.contains(#"href="\#(link)""#), "the body's link is the header's: \(html)")
        #expect(html.contains("https://127.0.0.1:\(apiPort)/p/"))
        let path = String(link.dropFirst("https://127.0.0.1:\(apiPort)".count))

        // A GET (what a mail scanner does) changes nothing.
        let (getStatus, page, _) = try await request("GET", base + path)
        #expect(getStatus == 200 && page.contains("One-Click"))
        #expect(try await consents(admin, customers["ann"]!).isEmpty)

        // The one-click POST, as a mailbox provider sends it: no key, no cookie.
        let (postStatus, _, finalURL) = try await request(
            "POST", base + path, body: "List-Unsubscribe=One-Click", contentType: "application/x-www-form-urlencoded")
        #expect(postStatus == 200 && finalURL == base + path, "answered \(postStatus) at \(finalURL)")
        let annConsents = try await consents(admin, customers["ann"]!)
        #expect(annConsents.count == 1 && annConsents.first?["topic"] as? String == "news")
        #expect(annConsents.first?["status"] as? String == "opted_out" && annConsents.first?["channel"] as? String == "email")

        // The next campaign of the topic: Ann's message is queued (the build reads channel-wide
        // opt-outs only) and the worker skips it; Bob's is sent.
        let second = try await runCampaign("Second")
        let all = try await sink.messages(atLeast: 3)
        #expect(all.filter { $0.recipients == ["ann@example.com"] }.count == 1, "Ann got a second mail")
        #expect(all.filter { $0.recipients == ["bob@example.com"] }.count == 2)
        let reason = try await database.withTenant(tenant.tenant.id, logger: TestDatabase.logger) { session -> String? in
            let rows = try await session.connection.query(
                """
                SELECT state || '/' || coalesce(skip_reason, '') FROM messages
                WHERE tenant_id = \(tenant.tenant.id) AND campaign_id = \(UUID(uuidString: second)!)
                  AND customer_id = \(UUID(uuidString: customers["ann"]!)!)
                """, logger: TestDatabase.logger)
            for try await text in rows.decode(String.self) { return text }
            return nil
        }
        #expect(reason == "skipped/opted-out", "Ann's second message: \(reason ?? "none")")

        // A transactional message carries no unsubscribe headers.
        _ = try await admin.send(
            "POST", "/v1/messages",
            ["customer_id": customers["bob"]!, "channel_id": smtp, "content": ["subject": "Receipt", "text": "Thanks"]],
            expect: 202)
        let receipt = try #require(try await sink.messages(atLeast: 4).first { $0.header("Subject") == "Receipt" })
        #expect(receipt.header("List-Unsubscribe") == nil && receipt.header("List-Unsubscribe-Post") == nil)
    }

    /// A plain request without credentials: status, body and the URL that answered.
    private func request(_ method: String, _ url: String, body: String? = nil, contentType: String? = nil) async throws -> (
        Int, String, String
    ) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.timeoutInterval = 10
        request.httpShouldHandleCookies = false
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        request.httpBody = body.map { Data($0.utf8) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        return (http?.statusCode ?? 0, String(decoding: data, as: UTF8.self), http?.url?.absoluteString ?? "")
    }

    private func consents(_ admin: AdminClient, _ customer: String) async throws -> [[String: Any]] {
        try await admin.get("/v1/customers/\(customer)/consents")["data"] as? [[String: Any]] ?? []
    }
}

/// Polls `condition` every 200 ms until it holds or `timeout` passes; whether it held.
private func pollUntil(timeout: Duration, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(200))
    }
    return try await condition()
}
