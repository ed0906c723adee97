import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

/// What ``TenantSession/receiptsRecord(_:at:)`` did.
public struct ReceiptRecording: Sendable, Equatable {
    /// Receipts stored for the first time (a replay is not counted, and changes nothing).
    public var stored: Int
    /// Events written on customers' timelines.
    public var events: Int
    /// Messages whose delivery status moved.
    public var messagesUpdated: Int
}

extension TenantSession {
    /// Records gateway receipts, set-based, in a few statements whatever their number: each receipt is stored once (its
    /// ``Receipt/dedupKey`` makes a replay a no-op), and a new one is applied at once — found
    /// back to our message (by our id, else the gateway's id, on the channel it came to) and
    /// its customer (the message's, else the owner of the address), written as an event on the
    /// customer's timeline, moved into the message's delivery status when it ranks high enough
    /// (``ReceiptKind/deliveryRank``), and its suppression and consent change applied with the
    /// receipt as evidence. Every gateway's callback (Twilio, SendGrid, SES through SNS) ends here.
    ///
    /// `now` is the receipt time, passed in rather than read with now() inside the statement,
    /// as Citus requires of writes to distributed tables.
    public func receiptsRecord(_ receipts: [Receipt], at now: Date) async throws -> ReceiptRecording {
        var seen = Set<String>()
        let batch = receipts.filter { seen.insert($0.dedupKey).inserted }
        guard !batch.isEmpty else { return ReceiptRecording(stored: 0, events: 0, messagesUpdated: 0) }
        return try await receiptsRecordSteps(batch, now: now)
    }

    /// A message's delivery status as the gateway last reported it, and every receipt for it,
    /// oldest first; nil when there is no such message.
    public func messageDelivery(id: UUID) async throws -> (status: ReceiptKind?, at: Date?, history: [MessageReceipt])? {
        let rows = try await query(
            "SELECT delivery_status, delivery_status_at FROM messages WHERE tenant_id = \(tenantID) AND id = \(id)")
        guard let (status, at) = try await rows.decode((String?, Date?).self).firstRow() else { return nil }
        let receipts = try await query(
            """
            SELECT kind, gateway, gateway_status, occurred_at, received_at, detail::text FROM message_receipts
            WHERE tenant_id = \(tenantID) AND message_id = \(id) ORDER BY occurred_at, received_at, id
            """)
        var history: [MessageReceipt] = []
        for try await row in receipts.decode((String, String, String, Date, Date, String).self) {
            guard let kind = ReceiptKind(rawValue: row.0) else { continue }
            history.append(
                MessageReceipt(
                    kind: kind, gateway: row.1, gatewayStatus: row.2, occurredAt: row.3, receivedAt: row.4,
                    detail: JSONColumns.object(row.5)))
        }
        return (status.flatMap(ReceiptKind.init(rawValue:)), at, history)
    }

    /// The text HELP and INFO SMS are answered with: the tenant's own, else the default.
    public func tenantSMSHelpText() async throws -> String {
        let rows = try await query("SELECT name, sms_help_text FROM tenants WHERE id = \(tenantID)")
        guard let (name, text) = try await rows.decode((String, String?).self).firstRow() else { throw StoreError.unavailable }
        return text ?? SMSKeyword.defaultHelpText(tenantName: name)
    }

    /// Sets (or, with nil, clears back to the default) the tenant's SMS help text.
    public func tenantSetSMSHelpText(_ text: String?) async throws {
        try await execute("UPDATE tenants SET sms_help_text = \(text) WHERE id = \(tenantID)")
    }
}
