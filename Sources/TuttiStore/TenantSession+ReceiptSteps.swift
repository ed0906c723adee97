import Foundation
import PostgresNIO
import TuttiDomain

/// The steps behind ``TenantSession/receiptsRecord(_:at:)``: the receipts are resolved to our
/// messages and customers by three reads, stored with one insert whose `RETURNING` names the new
/// ones, and only the new ones are applied, each effect one top-level statement over arrays.
///
/// Top-level statements, each `INSERT … RETURNING`, rather than one statement of data-modifying
/// CTEs: Citus plans an insert that reads another CTE's rows through the coordinator and sends
/// them with `COPY`, which row-level security refuses. Every statement names its tenant, which
/// keeps it on one Citus shard group.
extension TenantSession {
    /// A receipt with the message and customer it was found to be about.
    private struct ResolvedReceipt {
        var receipt: Receipt
        var id: UUID
        var message: UUID?
        var customer: UUID?
    }

    func receiptsRecordSteps(_ receipts: [Receipt], now: Date) async throws -> ReceiptRecording {
        let resolved = try await receiptsResolve(receipts)
        let fresh = try await receiptsStore(resolved, now: now)
        guard !fresh.isEmpty else { return ReceiptRecording(stored: 0, events: 0, messagesUpdated: 0) }
        let events = try await receiptsTimeline(fresh, now: now)
        let updated = try await receiptsDeliveryStatus(fresh, now: now)
        try await receiptsSuppressions(fresh, now: now)
        try await receiptsConsents(fresh, now: now)
        return ReceiptRecording(stored: fresh.count, events: events, messagesUpdated: updated)
    }

    /// Our message: by our id when the gateway echoed it, else the newest with the gateway's id
    /// for it; either way only a message sent on the channel the receipt came to. The customer:
    /// the message's, else the owner of the receipt's address; the survivor when merged.
    private func receiptsResolve(_ receipts: [Receipt]) async throws -> [ResolvedReceipt] {
        struct Sent {
            var id: UUID
            var customer: UUID
            var channels: Set<UUID>
        }
        let ourIDs = Array(Set(receipts.compactMap(\.messageID)))
        var byID: [UUID: Sent] = [:]
        if !ourIDs.isEmpty {
            let rows = try await query(
                """
                SELECT id, customer_id, channel_id, sent_channel_id FROM messages
                WHERE tenant_id = \(tenantID) AND id = ANY(\(ourIDs)::uuid[])
                """)
            for try await (id, customer, channel, sentChannel) in rows.decode((UUID, UUID, UUID, UUID?).self) {
                byID[id] = Sent(id: id, customer: customer, channels: Set([channel] + (sentChannel.map { [$0] } ?? [])))
            }
        }
        let providerIDs = Array(Set(receipts.compactMap { $0.providerMessageID }.filter { !$0.isEmpty }))
        var byProvider: [String: [Sent]] = [:]
        if !providerIDs.isEmpty {
            let rows = try await query(
                """
                SELECT id, customer_id, channel_id, sent_channel_id, provider_message_id FROM messages
                WHERE tenant_id = \(tenantID) AND provider_message_id = ANY(\(providerIDs)::text[])
                ORDER BY created_at DESC
                """)
            for try await (id, customer, channel, sentChannel, provider) in rows.decode((UUID, UUID, UUID, UUID?, String).self) {
                byProvider[provider, default: []].append(
                    Sent(id: id, customer: customer, channels: Set([channel] + (sentChannel.map { [$0] } ?? []))))
            }
        }
        let values = Array(Set(receipts.compactMap { $0.address?.value }))
        var owners: [String: UUID] = [:]
        if !values.isEmpty {
            let rows = try await query(
                """
                SELECT type, value, customer_id FROM customer_identities
                WHERE tenant_id = \(tenantID) AND value = ANY(\(values)::text[])
                """)
            for try await (type, value, customer) in rows.decode((String, String, UUID).self) {
                owners[type + "\n" + value] = customer
            }
        }
        var resolved: [ResolvedReceipt] = receipts.map { receipt in
            var message = receipt.messageID.flatMap { byID[$0] }.flatMap { $0.channels.contains(receipt.channelID) ? $0 : nil }
            if message == nil, let provider = receipt.providerMessageID, !provider.isEmpty {
                message = byProvider[provider]?.first { $0.channels.contains(receipt.channelID) }
            }
            let owner = receipt.address.flatMap { owners[$0.type.description + "\n" + $0.value] }
            return ResolvedReceipt(receipt: receipt, id: UUID.v7(), message: message?.id, customer: message?.customer ?? owner)
        }
        let customers = Array(Set(resolved.compactMap(\.customer)))
        guard !customers.isEmpty else { return resolved }
        var survivors: [UUID: UUID] = [:]
        let rows = try await query(
            """
            SELECT id, coalesce(merged_into, id) FROM customers WHERE tenant_id = \(tenantID) AND id = ANY(\(customers)::uuid[])
            """)
        for try await (id, survivor) in rows.decode((UUID, UUID).self) { survivors[id] = survivor }
        for index in resolved.indices { resolved[index].customer = resolved[index].customer.flatMap { survivors[$0] } }
        return resolved
    }

    /// Stores the receipts not stored before; answers the new ones (a replay is not among them).
    private func receiptsStore(_ resolved: [ResolvedReceipt], now: Date) async throws -> [ResolvedReceipt] {
        let rows = try await query(
            """
            INSERT INTO message_receipts (tenant_id, id, dedup_key, channel_id, gateway, kind, gateway_status, message_id,
                                          customer_id, occurred_at, received_at, detail)
            SELECT \(tenantID), r.id, r.dedup_key, r.channel_id, r.gateway, r.kind, r.gateway_status,
                   nullif(r.message_id, '')::uuid, nullif(r.customer_id, '')::uuid, r.occurred_at, \(now), r.detail::jsonb
            FROM unnest(\(resolved.map(\.id))::uuid[], \(resolved.map(\.receipt.dedupKey))::text[],
                        \(resolved.map(\.receipt.channelID))::uuid[], \(resolved.map(\.receipt.gateway))::text[],
                        \(resolved.map(\.receipt.kind.rawValue))::text[], \(resolved.map(\.receipt.gatewayStatus))::text[],
                        \(resolved.map { $0.message?.canonicalText ?? "" })::text[],
                        \(resolved.map { $0.customer?.canonicalText ?? "" })::text[],
                        \(resolved.map(\.receipt.occurredAt))::timestamptz[],
                        \(resolved.map { JSONColumns.text($0.receipt.detail) })::text[])
              AS r(id, dedup_key, channel_id, gateway, kind, gateway_status, message_id, customer_id, occurred_at, detail)
            ON CONFLICT (tenant_id, dedup_key) DO NOTHING
            RETURNING id
            """)
        var stored = Set<UUID>()
        for try await id in rows.decode(UUID.self) { stored.insert(id) }
        return resolved.filter { stored.contains($0.id) }
    }

    /// An event on the customer's timeline per new receipt with a customer (the receipt's id).
    private func receiptsTimeline(_ fresh: [ResolvedReceipt], now: Date) async throws -> Int {
        let known = fresh.filter { $0.customer != nil }
        guard !known.isEmpty else { return 0 }
        let properties = known.map { item -> String in
            var object = item.receipt.detail
            if let message = item.message { object["message_id"] = .string(message.canonicalText) }
            object["channel_id"] = .string(item.receipt.channelID.canonicalText)
            object["gateway"] = .string(item.receipt.gateway)
            object["status"] = .string(item.receipt.kind.rawValue)
            return JSONColumns.text(object.filter { $0.value != .null })
        }
        let rows = try await query(
            """
            INSERT INTO events (tenant_id, id, customer_id, kind, name, properties, channel, occurred_at, received_at)
            SELECT \(tenantID), e.id, e.customer_id, 'system', e.name, e.properties::jsonb, nullif(e.channel, ''), e.occurred_at, \(now)
            FROM unnest(\(known.map(\.id))::uuid[], \(known.map { $0.customer! })::uuid[], \(known.map(\.receipt.kind.eventName))::text[],
                        \(properties)::text[], \(known.map { $0.receipt.address?.type.channel?.rawValue ?? "" })::text[],
                        \(known.map(\.receipt.occurredAt))::timestamptz[])
              AS e(id, customer_id, name, properties, channel, occurred_at)
            RETURNING id
            """)
        var written = 0
        for try await _ in rows { written += 1 }
        return written
    }

    /// Moves each message's delivery status to its highest-ranked new receipt (the latest of
    /// equal rank), and only upwards: a late "delivered" never hides a bounce.
    private func receiptsDeliveryStatus(_ fresh: [ResolvedReceipt], now: Date) async throws -> Int {
        var best: [UUID: Receipt] = [:]
        for item in fresh {
            guard let message = item.message, let rank = item.receipt.kind.deliveryRank, rank > 0 else { continue }
            if let current = best[message], let currentRank = current.kind.deliveryRank,
                currentRank > rank || (currentRank == rank && current.occurredAt >= item.receipt.occurredAt)
            {
                continue
            }
            best[message] = item.receipt
        }
        guard !best.isEmpty else { return 0 }
        let messages = Array(best.keys)
        // A searched CASE: Citus deparses a simple `CASE m.delivery_status WHEN …` for the shard
        // as a comparison of text with boolean, which the worker node refuses.
        let rankCase =
            "CASE "
            + ReceiptKind.deliveryRanks.map { "WHEN m.delivery_status = '\($0.status)' THEN \($0.rank)" }.joined(separator: " ")
            + " ELSE 0 END"
        let rows = try await query(
            """
            UPDATE messages AS m SET delivery_status = u.kind, delivery_status_at = u.occurred_at, updated_at = \(now)
            FROM unnest(\(messages)::uuid[], \(messages.map { best[$0]!.kind.rawValue })::text[],
                        \(messages.map { Int32(best[$0]!.kind.deliveryRank!) })::int4[],
                        \(messages.map { best[$0]!.occurredAt })::timestamptz[]) AS u(id, kind, rank, occurred_at)
            WHERE m.tenant_id = \(tenantID) AND m.id = u.id
              AND (\(unescaped: rankCase) < u.rank OR (\(unescaped: rankCase) = u.rank AND m.delivery_status_at <= u.occurred_at))
            RETURNING m.id
            """)
        var updated = 0
        for try await _ in rows { updated += 1 }
        return updated
    }

    /// Suppressions the new receipts make (the first receipt per address is the evidence), and
    /// those a START lifts: only the suppression a STOP made; a bounce or a manual one stays.
    private func receiptsSuppressions(_ fresh: [ResolvedReceipt], now: Date) async throws {
        var first: [String: Receipt] = [:]
        for item in fresh {
            guard item.receipt.suppression != nil, let address = item.receipt.address, !address.value.isEmpty else { continue }
            let key = address.type.description + "\n" + address.value
            if let seen = first[key], seen.occurredAt <= item.receipt.occurredAt { continue }
            first[key] = item.receipt
        }
        if !first.isEmpty {
            let suppressing = Array(first.values)
            try await execute(
                """
                INSERT INTO suppressions (tenant_id, identity_type, identity_value, reason, note, created_at)
                SELECT \(tenantID), s.identity_type, s.identity_value, s.reason, s.note, \(now)
                FROM unnest(\(suppressing.map { $0.address!.type.description })::text[], \(suppressing.map { $0.address!.value })::text[],
                            \(suppressing.map { $0.suppression!.rawValue })::text[],
                            \(suppressing.map { "\($0.gateway) \($0.gatewayStatus) (\($0.dedupKey))" })::text[])
                  AS s(identity_type, identity_value, reason, note)
                ON CONFLICT (tenant_id, identity_type, identity_value) DO NOTHING
                RETURNING identity_value
                """)
        }
        // A START is rare and answers one text message: a statement each.
        for item in fresh where item.receipt.liftsStopSuppression {
            guard let address = item.receipt.address else { continue }
            try await execute(
                """
                DELETE FROM suppressions
                WHERE tenant_id = \(tenantID) AND identity_type = \(address.type.description) AND identity_value = \(address.value)
                  AND reason = 'stop'
                """)
        }
    }

    /// The consent changes of the new receipts: a consent ledger entry each (the receipt's id),
    /// and the customer's current consent per channel set to the latest.
    private func receiptsConsents(_ fresh: [ResolvedReceipt], now: Date) async throws {
        let changes = fresh.filter { $0.customer != nil && $0.receipt.consent != nil }
        guard !changes.isEmpty else { return }
        try await execute(
            """
            INSERT INTO consent_ledger (tenant_id, id, customer_id, channel, topic, status, source, recorded_at)
            SELECT \(tenantID), l.id, l.customer_id, l.channel, '', l.status, l.source, \(now)
            FROM unnest(\(changes.map(\.id))::uuid[], \(changes.map { $0.customer! })::uuid[],
                        \(changes.map { $0.receipt.consent!.channel.rawValue })::text[],
                        \(changes.map { $0.receipt.consent!.status.rawValue })::text[],
                        \(changes.map { $0.receipt.consentSource ?? "" })::text[]) AS l(id, customer_id, channel, status, source)
            RETURNING id
            """)
        var latest: [String: ResolvedReceipt] = [:]
        for item in changes {
            let key = item.customer!.canonicalText + "\n" + item.receipt.consent!.channel.rawValue
            if let seen = latest[key], seen.receipt.occurredAt > item.receipt.occurredAt { continue }
            latest[key] = item
        }
        let current = Array(latest.values)
        try await execute(
            """
            INSERT INTO consents (tenant_id, customer_id, channel, topic, status, source, updated_at)
            SELECT \(tenantID), c.customer_id, c.channel, '', c.status, c.source, \(now)
            FROM unnest(\(current.map { $0.customer! })::uuid[], \(current.map { $0.receipt.consent!.channel.rawValue })::text[],
                        \(current.map { $0.receipt.consent!.status.rawValue })::text[],
                        \(current.map { $0.receipt.consentSource ?? "" })::text[]) AS c(customer_id, channel, status, source)
            ON CONFLICT (tenant_id, customer_id, channel, topic) DO UPDATE
            SET status = EXCLUDED.status, source = EXCLUDED.source, updated_at = EXCLUDED.updated_at
            RETURNING customer_id
            """)
    }
}
