import Foundation
import TuttiDomain
import TuttiTemplates

/// Renders an offer's creative for a decision's channel: each field's Mustache template with
/// `customer.id`, `customer.attributes.*`, `offer.*` (`offer.code` is the code shown) and
/// `context.*`. Fields are text (not HTML-escaped): the page or app that shows them escapes
/// for where it puts them.
enum DecisionContent {
    static func render(
        _ entry: DecisionTenantCatalog.Entry, channel: OfferChannel, code: String?, customerID: UUID?,
        attributes: [String: JSONValue], context: [String: JSONValue]
    ) -> [String: String] {
        guard let fields = entry.creative[channel], !fields.isEmpty else { return [:] }
        let definition = entry.offer.definition
        var offer: [String: JSONValue] = [
            "id": .string(entry.offer.id.uuidString.lowercased()), "code": .string(code ?? definition.code),
            "name": .string(definition.name),
        ]
        if let description = definition.description { offer["description"] = .string(description) }
        if let value = definition.value { offer["value"] = .number(value) }
        if let currency = definition.currency { offer["currency"] = .string(currency) }
        var customer: [String: JSONValue] = ["attributes": .object(attributes)]
        if let customerID { customer["id"] = .string(customerID.uuidString.lowercased()) }
        let data = JSONValue.object(["customer": .object(customer), "offer": .object(offer), "context": .object(context)])
        return fields.mapValues { MustacheEngine.render($0, data: data) }
    }
}
