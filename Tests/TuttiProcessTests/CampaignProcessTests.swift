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

// In the serialized delivery suite: every worker process claims from the one delivery queue
// of the test database, so tests that run workers take turns.
extension DeliveryProcessTests {
    /// A campaign as a tenant admin runs one over the API, through the real api, scheduler and
    /// worker processes to aiosmtpd and a Twilio stand-in: two offers (one for gold customers
    /// with a pool of three codes), one template with e-mail and SMS parts and a `gold`
    /// condition, a segment, a contact policy of one message a day, and two campaigns launched
    /// at once over the same audience, with the scheduler killed (`kill -9`) while it builds
    /// them and started again.
    @Test func twoCampaignsAtOnceGiveEveryReachableCustomerExactlyOnePersonalizedMessage() async throws {
        try await withTestDatabase { database in
            try await withSMTPSink { sink in
                try await withRecordingServer(default: .json(201, #"{"sid": "SM1", "status": "queued"}"#)) { twilio in
                    try await runCampaigns(database: database, sink: sink, twilio: twilio)
                }
            }
        }
    }

    private func runCampaigns(database: Database, sink: SMTPSink, twilio: RecordingServer) async throws {
        let tenant = try await TestTenant.make("Campaigns", in: database)
        let apiPort = try freePorts(1)[0]
        let environment = try await deliveryEnvironment(["TUTTI_API_PORT": "\(apiPort)", "TUTTI_CAMPAIGN_CHUNK": "1"])
        let api = try SpawnedProcess("tutti-api", environment: environment)
        let worker = try SpawnedProcess("tutti-worker", environment: environment)
        var scheduler: SpawnedProcess?
        defer {
            scheduler?.terminate()
            worker.terminate()
            api.terminate()
        }
        let admin = AdminClient(base: "http://127.0.0.1:\(apiPort)", authorization: tenant.adminAuthorization)
        try #require(await waitUntilReady("\(admin.base)/health/ready"), "tutti-api never became ready:\n\(api.text)")

        // Channels, in the campaign's order of preference: e-mail first, then SMS.
        let smtp = try await admin.create(
            "/v1/channels",
            [
                "type": "smtp", "name": "mail",
                "config": [
                    "host": "127.0.0.1", "port": sink.port, "security": "none", "from_address": "news@shop.example.com",
                    "from_name": "Shop",
                ],
            ])
        let sms = try await admin.create(
            "/v1/channels",
            [
                "type": "twilio", "name": "sms",
                "config": [
                    "account_sid": "AC11111111111111111111111111111111", "auth_token": "twilio-token", "from": "+15005550006",
                    "base_url": twilio.baseURL,
                ],
            ])

        // Customers: e-mail, phone, both with e-mail opted out, and e-mail only but opted out.
        let people: [(name: String, plan: String, email: String?, phone: String?)] = [
            ("Ann", "gold", "ann@example.com", nil), ("Bob", "basic", "bob@example.com", nil),
            ("O'Brien & Sons", "gold", nil, "+41791234503"), ("Dee", "basic", "dee@example.com", "+41791234504"),
            ("Eve", "basic", "eve@example.com", nil), ("Fay", "gold", "fay@example.com", nil),
            ("Gus", "gold", "gus@example.com", nil),
        ]
        var customers: [String: String] = [:]
        for person in people {
            var identities: [[String: Any]] = []
            if let email = person.email { identities.append(["type": "email", "value": email]) }
            if let phone = person.phone { identities.append(["type": "phone", "value": phone]) }
            customers[person.name] = try await admin.create(
                "/v1/customers", ["identities": identities, "attributes": ["first_name": person.name, "plan": person.plan]])
        }
        for name in ["Dee", "Eve"] {
            _ = try await admin.send(
                "PUT", "/v1/customers/\(customers[name]!)/consents/email", ["status": "opted_out"], expect: 200)
        }

        // Offers: the gold one with three codes for four gold customers; one for everyone.
        let goldOffer = try await admin.create(
            "/v1/offers",
            [
                "code": "GOLD20", "name": "Gold 20 %", "eligibility": "attributes.plan = \"gold\"", "priority": 90, "value": 20,
                "currency": "EUR",
                "creative": ["email": ["headline": "20 % for our gold members"], "sms": ["text": "Gold: 20 % off"]],
            ])
        let codes = ["GOLD-AAA1", "GOLD-BBB2", "GOLD-CCC3"]
        _ = try await admin.send(
            "POST", "/v1/offers/\(goldOffer)/codes", body: Data(codes.joined(separator: "\n").utf8), contentType: "text/plain",
            expect: 200)
        let baseOffer = try await admin.create(
            "/v1/offers",
            [
                "code": "WELCOME5", "name": "5 % off", "priority": 10, "value": 5, "currency": "EUR",
                "creative": ["email": ["headline": "5 % for you"], "sms": ["text": "5 % off"]],
            ])
        let template = try await admin.create(
            "/v1/templates",
            [
                "name": "Spring",
                "parts": [
                    "email": [
                        "subject": "{{customer.attributes.first_name}}, spring is here",
                        "html":
                            "<p>{{offer.creative.headline}}</p>{{#conditions.gold}}<p>Gold code: {{offer.code}}</p>{{/conditions.gold}}",
                    ],
                    "sms": ["text": "Hi {{customer.attributes.first_name}}: {{offer.creative.text}} {{offer.code}}"],
                ],
                "conditions": ["gold": "attributes.plan = \"gold\""],
            ])
        let segment = try await admin.create(
            "/v1/segments", ["name": "Everyone with a plan", "rule": "attributes.plan = \"gold\" or attributes.plan = \"basic\""])
        _ = try await admin.send(
            "PUT", "/v1/contact-policy", ["caps": [["channels": "all", "max": 1, "per": "1 day"]]], expect: 200)

        var campaigns: [String] = []
        for name in ["Spring A", "Spring B"] {
            campaigns.append(
                try await admin.create(
                    "/v1/campaigns",
                    [
                        "name": name, "audience": ["segment_id": segment], "template_id": template, "channels": [smtp, sms],
                        "offers": ["offer_ids": [goldOffer, baseOffer], "mode": "arbitrate"], "schedule": ["type": "now"],
                    ]))
        }
        // Both launched at the same moment.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for campaign in campaigns {
                group.addTask { _ = try await admin.send("POST", "/v1/campaigns/\(campaign)/launch", [:], expect: 200) }
            }
            try await group.waitForAll()
        }

        // The scheduler builds one customer per transaction; it is killed once the first is
        // written, and a new one finishes the builds.
        scheduler = try SpawnedProcess("tutti-scheduler", environment: environment)
        let started = try await waitFor(timeout: .seconds(30)) { try await recipientCount(tenant.tenant.id, database) > 0 }
        try #require(started, "no recipient was written:\n\(scheduler?.text ?? "")")
        scheduler?.kill9()
        scheduler = try SpawnedProcess("tutti-scheduler", environment: environment)

        // Every campaign completes: every recipient built, every message sent or skipped.
        for campaign in campaigns {
            let done = try await waitFor(timeout: .seconds(90)) {
                (try await admin.get("/v1/campaigns/\(campaign)")["state"] as? String) == "completed"
            }
            #expect(done, "campaign \(campaign) did not complete:\nscheduler:\n\(scheduler?.text ?? "")\nworker:\n\(worker.text)")
        }

        // Exactly one message to every reachable customer, on their first reachable channel.
        let mails = try await sink.messages(atLeast: 4)
        let texts = try await twilio.requests(atLeast: 2)
        #expect(
            mails.flatMap(\.recipients).sorted() == ["ann@example.com", "bob@example.com", "fay@example.com", "gus@example.com"])
        #expect(texts.compactMap { $0.field("To") }.sorted() == ["+41791234503", "+41791234504"])
        for mail in mails {
            #expect(mail.defects.isEmpty, "\(mail.defects)")
            let name = people.first { $0.email == mail.recipients.first }!.name
            #expect(mail.header("Subject") == "\(name), spring is here")
        }
        // Gold customers get the gold offer with a code from the pool, each code once; the
        // pool holds three codes for four gold customers, so one gets the offer for everyone.
        let given =
            mails.compactMap { mail -> String? in
                let html = mail.part("text/html")?["content"] as? String ?? ""
                return codes.first { html.contains("Gold code: \($0)") }
            } + texts.compactMap { request in codes.first { request.field("Body")?.contains($0) == true } }
        #expect(Set(given).count == 3 && given.count == 3, "codes given: \(given)")
        let bob = try #require(mails.first { $0.recipients == ["bob@example.com"] })
        #expect((bob.part("text/html")?["content"] as? String)?.contains("5 % for you") == true)
        #expect((bob.part("text/html")?["content"] as? String)?.contains("Gold code") == false)
        // SMS text is not HTML-escaped: the name arrives as written.
        let sons = try #require(texts.first { $0.field("To") == "+41791234503" })
        #expect(sons.field("Body")?.hasPrefix("Hi O'Brien & Sons: Gold: 20 % off GOLD-") == true, "\(sons.field("Body") ?? "")")

        // The opted-out customer is skipped with its reason in both campaigns; everyone the
        // first campaign reached is capped in the second, and the other way round.
        var sentBy: [String: Int] = [:]
        for campaign in campaigns {
            let counts = try #require(try await admin.get("/v1/campaigns/\(campaign)")["counts"] as? [String: Any])
            #expect(counts["audience"] as? Int == 7, "\(counts)")
            let skipped = counts["skipped"] as? [String: Int] ?? [:]
            #expect(skipped["unreachable"] == 1, "\(counts)")
            sentBy[campaign] = counts["sent"] as? Int ?? 0
            #expect((counts["sent"] as? Int ?? 0) + (skipped["capped"] ?? 0) == 6, "\(counts)")
        }
        #expect(sentBy.values.reduce(0, +) == 6, "\(sentBy)")
        let eve = try await admin.get("/v1/campaigns/\(campaigns[0])/recipients?outcome=skipped&reason=unreachable")
        #expect((eve["data"] as? [[String: Any]])?.first?["customer_id"] as? String == customers["Eve"])
    }

    private func recipientCount(_ tenant: UUID, _ database: Database) async throws -> Int {
        try await database.withTenant(tenant, logger: TestDatabase.logger) { session in
            let rows = try await session.connection.query(
                "SELECT count(*) FROM campaign_recipients WHERE tenant_id = \(tenant)", logger: session.logger)
            for try await count in rows.decode(Int64.self) { return Int(count) }
            return 0
        }
    }
}

/// Polls `condition` every 200 ms until it holds or `timeout` passes; whether it held.
private func waitFor(timeout: Duration, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(200))
    }
    return try await condition()
}

/// A tenant admin's HTTP client for the process tests: JSON in, JSON out, the status checked.
struct AdminClient: Sendable {
    let base: String
    let authorization: String

    /// POSTs `body` and answers the created resource's `id`.
    func create(_ path: String, _ body: [String: Any]) async throws -> String {
        let answer = try await send("POST", path, body, expect: 201)
        guard let id = answer["id"] as? String else { throw TestSetupError("POST \(path) answered no id: \(answer)") }
        return id
    }

    func get(_ path: String) async throws -> [String: Any] {
        try await send("GET", path, body: nil, contentType: nil, expect: 200)
    }

    func send(_ method: String, _ path: String, _ body: [String: Any], expect: Int) async throws -> [String: Any] {
        try await send(
            method, path, body: try JSONSerialization.data(withJSONObject: body), contentType: "application/json", expect: expect)
    }

    func send(_ method: String, _ path: String, body: Data?, contentType: String?, expect: Int) async throws -> [String: Any] {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        request.timeoutInterval = 10
        request.setValue(authorization, forHTTPHeaderField: "Authorization")
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        request.httpBody = body
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let text = String(decoding: data, as: UTF8.self)
        guard status == expect else { throw TestSetupError("\(method) \(path) answered \(status), not \(expect): \(text)") }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }
}
