import Foundation

extension CampaignDefinition {
    /// The members a definition may have; any other is refused, so that a misspelt optional
    /// member (`holdout_pct`) is not silently ignored.
    public static let members: Set<String> = [
        "name", "audience", "template_id", "channels", "offers", "schedule", "throttle_per_second", "holdout_percent",
        "expires_after", "topic", "trigger",
    ]

    /// Reads a definition from its JSON object, collecting every error with its field and what
    /// to write instead, so a client can fix them all at once.
    public init(json: JSONValue) throws(ValidationErrors) {
        guard case .object(let fields) = json else {
            throw ValidationErrors([ValidationError(field: "", message: "must be a JSON object")])
        }
        var reader = CampaignFieldReader(fields)
        let name = reader.name()
        let trigger = reader.trigger()
        let triggered = fields["trigger"] != nil
        let audience = triggered ? nil : reader.audience()
        let templateID = reader.id("template_id", what: "a template id")
        let channelIDs = reader.channels()
        let offers = reader.offers()
        let schedule = triggered ? nil : reader.schedule()
        let throttle = reader.throttle()
        let holdout = reader.holdout()
        let expiresAfter = reader.expiresAfter()
        let topic = reader.topic()
        // A triggered campaign has its trigger in place of audience and schedule.
        let complete = triggered ? trigger != nil : audience != nil && schedule != nil
        guard reader.errors.isEmpty, complete, let name, let templateID, let channelIDs else {
            throw ValidationErrors(reader.errors)
        }
        self.init(
            name: name, audience: audience, templateID: templateID, channelIDs: channelIDs, offers: offers, schedule: schedule,
            throttlePerSecond: throttle, holdoutPercent: holdout, expiresAfter: expiresAfter, topic: topic, trigger: trigger)
    }

    /// The JSON object ``init(json:)`` reads, with ids in lower case; optional members that are
    /// not set are left out.
    public var json: JSONValue {
        var fields: [String: JSONValue] = [
            "name": .string(name),
            "template_id": .string(templateID.canonicalText),
            "channels": .array(channelIDs.map { .string($0.canonicalText) }),
        ]
        if let schedule { fields["schedule"] = .object(schedule.fields) }
        switch audience {
        case .segment(let id)?: fields["audience"] = .object(["segment_id": .string(id.canonicalText)])
        case .rule(let rule)?: fields["audience"] = .object(["rule": rule])
        case nil: break
        }
        if let trigger { fields["trigger"] = trigger.json }
        if let offers {
            fields["offers"] = .object([
                "offer_ids": .array(offers.offerIDs.map { .string($0.canonicalText) }), "mode": .string(offers.mode.rawValue),
                "required": .bool(offers.required),
            ])
        }
        if let throttlePerSecond { fields["throttle_per_second"] = .number(Double(throttlePerSecond)) }
        if let holdoutPercent { fields["holdout_percent"] = .number(holdoutPercent) }
        if let expiresAfter { fields["expires_after"] = .string(expiresAfter.description) }
        if let topic { fields["topic"] = .string(topic) }
        return .object(fields)
    }

    /// This definition with a JSON merge patch (RFC 7396) applied to its top-level members: a
    /// member given replaces the stored one, `null` removes it (an optional one goes back to its
    /// default; a required one is then reported missing), an absent one is kept.
    public func patched(with patch: [String: JSONValue]) throws(ValidationErrors) -> CampaignDefinition {
        guard case .object(var fields) = json else { return self }
        for (key, value) in patch {
            if value == .null { fields[key] = nil } else { fields[key] = value }
        }
        return try CampaignDefinition(json: .object(fields))
    }
}

extension CampaignDefinition: Codable {
    /// Decoding throws ``ValidationErrors`` when the object is not a valid definition.
    public init(from decoder: any Decoder) throws {
        try self.init(json: try decoder.singleValueContainer().decode(JSONValue.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(json)
    }
}
