import Foundation
import PostgresNIO
import Testing
import TuttiDomain
import TuttiQueue
import TuttiStore
import TuttiTestSupport

/// The set-based fragments the audience build uses agree with the pure policy.
@Suite("Contact policy SQL fragments")
struct ContactPolicySQLTests {
    let logger = TestDatabase.logger

    @Test func cappedPairsAreExactlyTheCustomersAndChannelTypesTheAdmissionWouldSkip() async throws {
        try await withTestDatabase { database in
            let policy = ContactPolicy(caps: [
                ContactPolicy.Cap(channels: .all, max: 2, per: PolicyWindow("1 day")!),
                ContactPolicy.Cap(channels: .only(["sms"]), max: 1, per: PolicyWindow("7 days")!),
            ])
            let fixture = try await ContactPolicyFixture.make(database, customers: 5, policy: policy)
            let queue = uniqueQueueName("contact-sql")
            let c = fixture.customers
            let hour: Double = 3600
            // (customer, channel type, hours ago, message dead)
            let contacts: [(UUID, String, Double, Bool)] = [
                (c[0], "webhook", 1, false), (c[0], "smtp", 20, false),  // two today: capped everywhere
                (c[1], "twilio", 72, false),  // an sms three days ago: capped on sms only
                (c[2], "webhook", 30, false), (c[2], "webhook", 40, false),  // two, but yesterday
                (c[3], "webhook", 1, false), (c[3], "webhook", 2, true),  // one of two finally failed
                (c[4], "sns", 200, false),  // older than every window
            ]
            let messages = try await fixture.messages(to: contacts.map(\.0), on: queue)
            let now = try await database.withTenant(fixture.tenant, logger: logger) { session in
                for ((customer, type, ago, dead), message) in zip(contacts, messages) {
                    try await session.connection.query(
                        """
                        INSERT INTO contact_ledger (tenant_id, customer_id, message_id, channel_type, counted_at)
                        VALUES (\(fixture.tenant), \(customer), \(message), \(type), now() - make_interval(secs => \(ago * hour)))
                        """, logger: logger)
                    if dead {
                        try await session.connection.query(
                            "UPDATE messages SET state = 'dead' WHERE tenant_id = \(fixture.tenant) AND id = \(message)",
                            logger: logger)
                    }
                }
                return try await session.connection.query("SELECT now()", logger: logger).decode(Date.self).firstRow()!
            }

            var bindings = PostgresBindings()
            bindings.append(fixture.tenant)
            bindings.append(now)
            ContactPolicySQL.Arguments(policy).appendCaps(to: &bindings)
            let sql = ContactPolicySQL.cappedPairs(
                tenant: "$1", at: "$2", capSeconds: "$3", capMax: "$4", typeCap: "$5", typeName: "$6")
            let pairs = try await database.withTenant(fixture.tenant, logger: logger) { session in
                var pairs = Set<String>()
                let rows = try await session.connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
                for try await (customer, type) in rows.decode((UUID, String).self) { pairs.insert("\(customer) \(type)") }
                return pairs
            }

            // What the pure admission decides for each customer and type, from the same contacts.
            var history: [UUID: [ContactAdmission.Contact]] = [:]
            for (customer, type, ago, dead) in contacts where !dead {
                history[customer, default: []].append(ContactAdmission.Contact(channelType: type, countedAt: now - ago * hour))
            }
            var expected = Set<String>()
            let admission = ContactAdmission(policy: policy)
            let utc = TimeZone(identifier: "UTC")!
            for customer in c {
                for type in ChannelType.allCases.map(\.rawValue) {
                    let candidate = ContactAdmission.Candidate(
                        messageID: UUID(), customerID: customer, channelType: type, timeZone: utc)
                    if admission.decide([candidate], contacts: history, now: now) == [.skip(.capped)] {
                        expected.insert("\(customer) \(type)")
                    }
                }
            }
            #expect(pairs == expected)
            #expect(
                expected.contains("\(c[0]) mastodon") && expected.contains("\(c[1]) sns") && !expected.contains("\(c[1]) smtp"))
            #expect(
                !expected.contains {
                    $0.hasPrefix(c[2].uuidString) || $0.hasPrefix(c[3].uuidString) || $0.hasPrefix(c[4].uuidString)
                })
        }
    }

    @Test(arguments: ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kathmandu"])
    func quietUntilAgreesWithQuietHoursHourByHourAcrossTheNightsTheClocksChange(zone: String) async throws {
        try await withTestDatabase { database in
            let quiet = QuietHours(start: LocalTime("21:00")!, end: LocalTime("08:00")!, channels: .only(["sms"]))
            let arguments = ContactPolicySQL.Arguments(ContactPolicy(quietHours: quiet))
            // Every 20 minutes over the spring and autumn changes of both hemispheres.
            var instants: [Date] = []
            for start in [
                "2026-03-07T00:00:00Z", "2026-03-27T00:00:00Z", "2026-04-03T00:00:00Z", "2026-10-02T00:00:00Z",
                "2026-10-23T00:00:00Z", "2026-10-31T00:00:00Z",
            ] {
                let first = try Date(start, strategy: .iso8601)
                instants += (0..<(3 * 72)).map { first.addingTimeInterval(Double($0) * 1200) }
            }
            var bindings = PostgresBindings()
            bindings.append(zone)
            bindings.append(instants)
            arguments.appendQuietHours(to: &bindings)
            let until = ContactPolicySQL.quietUntil(
                zone: "$1", channelType: "'twilio'", at: "i", start: "$3", end: "$4", types: "$5")
            let other = ContactPolicySQL.quietUntil(
                zone: "$1", channelType: "'smtp'", at: "i", start: "$3", end: "$4", types: "$5")
            let answers = try await database.withTenant(UUID(), logger: logger) { session in
                var answers: [(Date, Date?, Date?)] = []
                let rows = try await session.connection.query(
                    PostgresQuery(
                        unsafeSQL: "SELECT i, \(until), \(other) FROM unnest($2::timestamptz[]) AS i ORDER BY i", binds: bindings),
                    logger: logger)
                for try await row in rows.decode((Date, Date?, Date?).self) { answers.append(row) }
                return answers
            }
            #expect(answers.count == instants.count)
            let timeZone = TimeZone(identifier: zone)!
            var quietOnes = 0
            for (instant, sql, otherChannel) in answers {
                let swift = quiet.end(containing: instant, in: timeZone)
                #expect(sql == swift, "\(zone) at \(instant)")
                #expect(otherChannel == nil, "quiet hours on sms only")
                if swift != nil { quietOnes += 1 }
            }
            #expect(quietOnes > answers.count / 3)
        }
    }
}
