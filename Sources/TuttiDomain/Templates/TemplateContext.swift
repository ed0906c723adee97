/// What a template may read when it is rendered for one customer, before the channel is known.
/// Each member is a top-level name in the template (``TemplateContext/topLevelNames``);
/// ``json(for:renderedCreative:)`` lays them out as the object Mustache reads.
public struct TemplateContext: Sendable, Hashable {
    /// The top-level names a template may use; any other is an error when it is checked.
    public static let topLevelNames: Set<String> = ["customer", "offer", "conditions", "message", "links", "data", "marketing"]

    /// `customer.id`.
    public var customerID: String
    /// `customer.attributes.*`.
    public var attributes: [String: JSONValue]
    /// `customer.identities.TYPE`: one value per identity type (`email`, `phone`, …).
    public var identities: [String: String]
    /// `offer.*`, when the message carries one.
    public var offer: TemplateOffer?
    /// `conditions.NAME`: the template's conditions evaluated for this customer
    /// (``TemplateConditions``); a condition absent here is false.
    public var conditions: [String: Bool]
    /// `message.id`.
    public var messageID: String?
    /// `links.unsubscribe` and `links.preferences`.
    public var links: TemplateLinks
    /// `data.*`: what the caller adds (a trigger's event, a journey's state).
    public var data: [String: JSONValue]
    /// `marketing.*`: the sender's own details (company name, postal address) for footers.
    public var marketing: [String: JSONValue]

    public init(
        customerID: String, attributes: [String: JSONValue] = [:], identities: [String: String] = [:],
        offer: TemplateOffer? = nil,
        conditions: [String: Bool] = [:], messageID: String? = nil, links: TemplateLinks = TemplateLinks(),
        data: [String: JSONValue] = [:], marketing: [String: JSONValue] = [:]
    ) {
        self.customerID = customerID
        self.attributes = attributes
        self.identities = identities
        self.offer = offer
        self.conditions = conditions
        self.messageID = messageID
        self.links = links
        self.data = data
        self.marketing = marketing
    }
}

/// An offer as templates see it. `creative` holds a creative per channel name (`email`,
/// `sms`, …); rendering one channel exposes that channel's creative as `offer.creative`.
public struct TemplateOffer: Sendable, Hashable {
    public var id: String?
    public var code: String?
    public var name: String
    public var description: String?
    public var value: Double?
    public var currency: String?
    /// Creative fields per channel; each field is itself a Mustache template.
    public var creative: [String: [String: String]]

    public init(
        id: String? = nil, code: String? = nil, name: String, description: String? = nil, value: Double? = nil,
        currency: String? = nil, creative: [String: [String: String]] = [:]
    ) {
        self.id = id
        self.code = code
        self.name = name
        self.description = description
        self.value = value
        self.currency = currency
        self.creative = creative
    }

    /// The names templates may read under `offer.`.
    public static let fieldNames: Set<String> = ["id", "code", "name", "description", "value", "currency", "creative"]
}

/// Links every marketing message carries; placeholders until the closed-loop work fills them.
public struct TemplateLinks: Sendable, Hashable {
    public var unsubscribe: String
    public var preferences: String

    public init(unsubscribe: String = "", preferences: String = "") {
        self.unsubscribe = unsubscribe
        self.preferences = preferences
    }
}
