import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

/// What the contact policy did with a claimed batch (``TenantSession/contactAdmit(_:)``).
public struct ContactAdmissionResult: Sendable {
    /// The deliveries to send, in claim order: those the policy admitted, those it does not
    /// apply to (transactional messages), and those without a message (the sender fails them).
    public var admitted: [ClaimedDelivery]
    /// Messages that ended `skipped`, by reason.
    public var skipped: [ContactAdmission.SkipReason: Int] = [:]
    /// Messages handed back until their quiet hours end.
    public var deferred: Int = 0
}

extension TenantSession {
    /// Applies the tenant's contact policy to a claimed batch, in this transaction, before
    /// anything is sent (docs/contact-policy.md, "At send time"):
    ///
    /// 1. the customers of the messages the policy applies to are serialized: one
    ///    transaction-level advisory lock each, taken in key order so that two workers never
    ///    wait on each other in a cycle; the same statement reads the policy and the clock;
    /// 2. a second statement, whose snapshot therefore holds every contact committed by whoever
    ///    held those locks before, reads each message's channel type and customer time zone and
    ///    the customers' contacts within the policy's longest window (the ledger's rows whose
    ///    message has not finally failed);
    /// 3. ``ContactAdmission`` decides, and one statement records it behind the jobs' leases:
    ///    a ledger row per admitted message, `skipped` with its reason, or `deferred_until`;
    ///    the skipped jobs are completed and the deferred ones postponed (not an attempt).
    ///
    /// The locks are held until this transaction commits, so a concurrent claim of the same
    /// customer reads this batch's ledger rows. Deliveries whose lease lapsed before step 3
    /// are left out of every write and of the result.
    public func contactAdmit(_ deliveries: [ClaimedDelivery]) async throws -> ContactAdmissionResult {
        let subject = deliveries.compactMap { $0.message?.needsAdmission == true ? $0 : nil }
        guard !subject.isEmpty else { return ContactAdmissionResult(admitted: deliveries) }
        let customers = Array(Set(subject.compactMap { $0.message?.customerID }))
        guard let (policyText, now) = try await contactLockCustomers(customers) else {
            // The policy was removed since the claim: nothing to apply.
            return ContactAdmissionResult(admitted: deliveries)
        }
        let policy = try Self.storedPolicy(policyText)
        let since = now.addingTimeInterval(-Double(policy.longestWindow?.seconds ?? 0))
        let (candidates, contacts) = try await contactCandidates(
            subject.compactMap { $0.message?.id }, customers: customers, since: since, zones: policy.quietHours != nil)
        let verdicts = ContactAdmission(policy: policy).decide(
            subject.compactMap { $0.message.flatMap { candidates[$0.id] } }, contacts: contacts, now: now)

        var record: [(ClaimedDelivery, String, Date?)] = []
        var verdictByJob: [Int64: ContactAdmission.Verdict] = [:]
        for (delivery, verdict) in zip(subject.filter { $0.message.flatMap { candidates[$0.id] } != nil }, verdicts) {
            verdictByJob[delivery.job.lease.jobID] = verdict
            switch verdict {
            case .admitCounted: continue
            case .admit: record.append((delivery, "admit", nil))
            case .defer(let until): record.append((delivery, "defer", until))
            case .skip(let reason): record.append((delivery, reason.rawValue, nil))
            }
        }
        let held = try await contactRecord(record, now: now)
        var result = ContactAdmissionResult(admitted: [])
        var skippedLeases: [QueueLease] = []
        var postponed: [QueuePostponement] = []
        for delivery in deliveries {
            let job = delivery.job.lease.jobID
            guard delivery.message?.needsAdmission == true, let verdict = verdictByJob[job] else {
                // Exempt, or a message gone since the claim (the sender fails it).
                result.admitted.append(delivery)
                continue
            }
            switch verdict {
            case .admitCounted: result.admitted.append(delivery)
            case .admit where held.contains(job): result.admitted.append(delivery)
            case .defer(let until) where held.contains(job):
                postponed.append(QueuePostponement(lease: delivery.job.lease, delay: .seconds(until.timeIntervalSince(now))))
                result.deferred += 1
            case .skip(let reason) where held.contains(job):
                skippedLeases.append(delivery.job.lease)
                result.skipped[reason, default: 0] += 1
            default: continue  // the lease lapsed: another claim has the job now
            }
        }
        try await queueComplete(skippedLeases)
        try await queuePostpone(postponed)
        return result
    }

    /// Step 1: the advisory locks on `customers`, in key order, with the policy and the
    /// transaction's clock; nil when the tenant has no policy (any more).
    private func contactLockCustomers(_ customers: [UUID]) async throws -> (String, Date)? {
        let rows = try await query(
            """
            SELECT (SELECT p.policy::text FROM contact_policies AS p WHERE p.tenant_id = \(tenantID)), now(),
                   (SELECT count(*) FROM (
                        SELECT pg_advisory_xact_lock(k.key)::text FROM (
                            SELECT DISTINCT \(unescaped: ContactPolicySQL.customerLockKey("c")) AS key FROM unnest(\(customers)::uuid[]) AS c
                            ORDER BY 1) AS k) AS locked)::int8
            """)
        for try await (policy, now, _) in rows.decode((String?, Date, Int).self) {
            guard let policy else { return nil }
            return (policy, now)
        }
        return nil
    }

    /// Step 2: each message's candidate (by message id) and each customer's contacts since `since`.
    private func contactCandidates(_ messages: [UUID], customers: [UUID], since: Date, zones withZones: Bool) async throws -> (
        [UUID: ContactAdmission.Candidate], [UUID: [ContactAdmission.Contact]]
    ) {
        // Without quiet hours no time zone is needed: the column costs a function per message,
        // and the customers' rows are not read at all. The ledger is probed per message by its
        // primary key (as `EXISTS`, PostgreSQL hashed the tenant's whole ledger for each batch).
        let zoneColumn = ContactPolicySQL.customerTimeZone(attributes: "c.attributes", tenantZone: "t.time_zone")
        let zoneJoins = """
            JOIN customers AS c ON c.tenant_id = m.tenant_id AND c.id = m.customer_id
            JOIN tenants AS t ON t.id = m.tenant_id
            """
        let rows = try await query(
            """
            SELECT 1, m.id, m.customer_id, m.channel_type, \(unescaped: withZones ? zoneColumn : "NULL::text"),
                   NULL::timestamptz, l.message_id IS NOT NULL
            FROM messages AS m
            \(unescaped: withZones ? zoneJoins : "")
            LEFT JOIN contact_ledger AS l ON l.tenant_id = m.tenant_id AND l.message_id = m.id
            WHERE m.tenant_id = \(tenantID) AND m.id = ANY (\(messages)::uuid[])
            UNION ALL
            SELECT 2, l.message_id, l.customer_id, l.channel_type, NULL, l.counted_at, false
            FROM contact_ledger AS l
            JOIN messages AS m ON m.tenant_id = l.tenant_id AND m.id = l.message_id
            WHERE l.tenant_id = \(tenantID) AND l.customer_id = ANY (\(customers)::uuid[]) AND l.counted_at > \(since)
              AND m.state <> 'dead'
            """)
        var candidates: [UUID: ContactAdmission.Candidate] = [:]
        var contacts: [UUID: [ContactAdmission.Contact]] = [:]
        let utc = TimeZone(identifier: "UTC")!
        // Opening a zone costs microseconds; a batch's customers share a handful of zones.
        var zones: [String: TimeZone] = [:]
        func open(_ name: String?) -> TimeZone {
            guard let name else { return utc }
            if let zone = zones[name] { return zone }
            let zone = TimeZone(identifier: name) ?? utc
            zones[name] = zone
            return zone
        }
        for try await (kind, message, customer, channelType, zone, at, counted) in rows.decode(
            (Int, UUID, UUID, String, String?, Date?, Bool).self)
        {
            if kind == 1 {
                candidates[message] = ContactAdmission.Candidate(
                    messageID: message, customerID: customer, channelType: channelType,
                    timeZone: open(zone), alreadyCounted: counted)
            } else if let at {
                contacts[customer, default: []].append(ContactAdmission.Contact(channelType: channelType, countedAt: at))
            }
        }
        return (candidates, contacts)
    }

    /// Step 3: the verdicts that change rows, for the jobs whose lease is still current;
    /// returns those jobs. The jobs are not locked: a lease that lapses before this commits
    /// lets another claim take the job, whose admission then waits on this one's customer
    /// locks and finds the ledger row (``ContactAdmission/Candidate/alreadyCounted``), so the
    /// caps still hold; locking 500 job rows cost more than the rest of the step.
    private func contactRecord(_ record: [(ClaimedDelivery, String, Date?)], now: Date) async throws -> Set<Int64> {
        guard !record.isEmpty else { return [] }
        let rows = try await query(
            """
            WITH input AS (
                SELECT * FROM unnest(\(record.map(\.0.job.lease.jobID))::int8[], \(record.map(\.0.job.lease.attempt))::int4[],
                                     \(record.map { $0.0.message!.id })::uuid[], \(record.map { $0.0.message!.customerID })::uuid[],
                                     \(record.map(\.1))::text[], \(record.map { $0.2 ?? now })::timestamptz[])
                    AS v(job_id, attempt, message_id, customer_id, verdict, until)
            ), held AS MATERIALIZED (
                SELECT v.*, m.channel_type FROM input AS v
                JOIN queue_jobs AS j ON j.tenant_id = \(tenantID) AND j.id = v.job_id AND j.attempts = v.attempt AND j.state = 'leased'
                JOIN messages AS m ON m.tenant_id = \(tenantID) AND m.id = v.message_id
            ), counted AS (
                INSERT INTO contact_ledger (tenant_id, customer_id, message_id, channel_type, counted_at)
                SELECT \(tenantID), h.customer_id, h.message_id, h.channel_type, \(now) FROM held AS h WHERE h.verdict = 'admit'
                ON CONFLICT (tenant_id, message_id) DO NOTHING
                RETURNING 1
            ), marked AS (
                UPDATE messages AS m
                SET state = CASE WHEN h.verdict = 'defer' THEN m.state ELSE 'skipped' END,
                    skip_reason = CASE WHEN h.verdict = 'defer' THEN m.skip_reason ELSE h.verdict END,
                    deferred_until = CASE WHEN h.verdict = 'defer' THEN h.until ELSE m.deferred_until END,
                    updated_at = \(now)
                FROM held AS h
                WHERE h.verdict <> 'admit' AND m.tenant_id = \(tenantID) AND m.id = h.message_id AND m.state <> 'sent'
                RETURNING 1
            )
            SELECT h.job_id, (SELECT count(*) FROM counted)::int8 + (SELECT count(*) FROM marked)::int8 FROM held AS h
            """)
        var held = Set<Int64>()
        for try await (job, _) in rows.decode((Int64, Int).self) { held.insert(job) }
        return held
    }
}
