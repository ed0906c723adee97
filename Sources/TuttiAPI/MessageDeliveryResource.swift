import Foundation
import TuttiDomain

/// What a message's gateway reported after accepting it, as `GET /v1/messages/{id}` shows
/// it: `delivery_status` (the highest-ranked report, docs/closed-loop.md) and `history`, every
/// receipt oldest first.
struct MessageDeliveryResource: Sendable {
    /// One receipt in `history`.
    struct ReceiptJSON: Encodable, Sendable {
        var kind: String
        var event: String
        var gateway: String
        var gatewayStatus: String
        var occurredAt: Date
        var receivedAt: Date
        var detail: [String: JSONValue]

        enum CodingKeys: String, CodingKey {
            case kind, event, gateway, detail
            case gatewayStatus = "gateway_status"
            case occurredAt = "occurred_at"
            case receivedAt = "received_at"
        }
    }

    var status: String?
    var at: Date?
    var history: [ReceiptJSON]

    init(_ delivery: (status: ReceiptKind?, at: Date?, history: [MessageReceipt])?) {
        status = delivery?.status?.rawValue
        at = delivery?.at
        history = (delivery?.history ?? []).map {
            ReceiptJSON(
                kind: $0.kind.rawValue, event: $0.kind.eventName, gateway: $0.gateway, gatewayStatus: $0.gatewayStatus,
                occurredAt: $0.occurredAt, receivedAt: $0.receivedAt, detail: $0.detail)
        }
    }

    func apply(to resource: inout MessageResource) {
        resource.deliveryStatus = status
        resource.deliveryStatusAt = at
        resource.history = history
    }
}
