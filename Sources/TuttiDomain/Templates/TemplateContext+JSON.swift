extension TemplateContext {
    /// The object a template reads for `channel`, with `renderedCreative` (the offer's creative
    /// for that channel, its own templates already rendered) as `offer.creative`.
    public func json(for channel: TemplateChannel, renderedCreative: [String: String]? = nil) -> JSONValue {
        var customer: [String: JSONValue] = ["id": .string(customerID), "attributes": .object(attributes)]
        customer["identities"] = .object(identities.mapValues(JSONValue.string))
        var root: [String: JSONValue] = [
            "customer": .object(customer),
            "conditions": .object(conditions.mapValues(JSONValue.bool)),
            "links": .object(["unsubscribe": .string(links.unsubscribe), "preferences": .string(links.preferences)]),
            "data": .object(data),
            "marketing": .object(marketing),
        ]
        root["message"] = .object(messageID.map { ["id": .string($0)] } ?? [:])
        if let offer {
            var object: [String: JSONValue] = ["name": .string(offer.name)]
            object["id"] = offer.id.map(JSONValue.string)
            object["code"] = offer.code.map(JSONValue.string)
            object["description"] = offer.description.map(JSONValue.string)
            object["value"] = offer.value.map(JSONValue.number)
            object["currency"] = offer.currency.map(JSONValue.string)
            let creative = renderedCreative ?? offer.creative[channel.rawValue] ?? [:]
            object["creative"] = .object(creative.mapValues(JSONValue.string))
            root["offer"] = .object(object)
        }
        return .object(root)
    }
}
