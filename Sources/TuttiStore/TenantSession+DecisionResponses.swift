import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

/// What became of a response to a decision.
public enum DecisionResponseOutcome: Sendable, Hashable {
    /// Recorded (and on the customer's timeline when the decision had one).
    case recorded(customerID: UUID?)
    /// The same response to the same offer of the same decision was recorded before.
    case repeated(customerID: UUID?)
    /// No decision of this tenant has this id (or it is not recorded yet).
    case noDecision
    /// The decision did not show this offer.
    case offerNotShown
}

extension TenantSession {
    /// Records a customer's response to one offer of a decision, once per (decision, offer,
    /// response), with an `Offer Accepted` / `Offer Declined` / `Offer Clicked` event on the
    /// customer's timeline. Declines count toward decline suppression
    /// (``decisionHistory(customerID:offerIDs:now:)``).
    public func decisionRespond(decisionID: UUID, offerID: UUID, response: DecisionResponseKind) async throws
        -> DecisionResponseOutcome
    {
        let rows = try await query(
            """
            SELECT customer_id, channel, EXISTS (SELECT FROM jsonb_array_elements(shown) AS s WHERE s ->> 'offer_id' = \(offerID.uuidString.lowercased()))
            FROM decisions WHERE tenant_id = \(tenantID) AND id = \(decisionID)
            """)
        guard let (customerID, channel, wasShown) = try await rows.decode((UUID?, String, Bool).self).firstRow() else {
            return .noDecision
        }
        guard wasShown else { return .offerNotShown }
        let inserted = try await query(
            """
            INSERT INTO decision_responses (tenant_id, decision_id, offer_id, response, customer_id, responded_at)
            VALUES (\(tenantID), \(decisionID), \(offerID), \(response.rawValue), \(customerID), now())
            ON CONFLICT (tenant_id, decision_id, offer_id, response) DO NOTHING
            RETURNING decision_id
            """)
        guard try await inserted.decode(UUID.self).firstRow() != nil else { return .repeated(customerID: customerID) }
        if let customerID {
            let properties = JSONValue.object([
                "decision_id": .string(decisionID.uuidString.lowercased()), "offer_id": .string(offerID.uuidString.lowercased()),
            ]).compactText
            try await execute(
                """
                INSERT INTO events (tenant_id, id, customer_id, kind, name, properties, channel, occurred_at)
                VALUES (\(tenantID), \(UUID.v7()), \(customerID), 'system', \(response.eventName), \(properties)::jsonb, \(channel), now())
                """)
        }
        return .recorded(customerID: customerID)
    }
}
