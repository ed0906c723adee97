import Foundation

/// Reads a campaign definition's members one by one, collecting an error for each member that
/// is absent, of the wrong type or out of range, and for each member a definition does not have.
struct CampaignFieldReader {
    fileprivate let fields: [String: JSONValue]
    private(set) var errors: [ValidationError] = []

    init(_ fields: [String: JSONValue]) {
        self.fields = fields
        for key in fields.keys.sorted() where !CampaignDefinition.members.contains(key) {
            errors.append(
                ValidationError(
                    field: key,
                    message:
                        "is not a member of a campaign, which takes \(CampaignDefinition.members.sorted().joined(separator: ", "))"
                ))
        }
    }

    private mutating func fail(_ field: String, _ message: String) {
        errors.append(ValidationError(field: field, message: message))
    }

    mutating func name() -> String? {
        guard case .string(let text)? = fields["name"] else {
            fail("name", "is required: a string of 1 to \(DisplayName.maximumLength) characters")
            return nil
        }
        do throws(ValidationError) {
            return try DisplayName.validate(text)
        } catch {
            errors.append(error)
            return nil
        }
    }

    mutating func id(_ field: String, what: String) -> UUID? {
        id(fields[field], field: field, what: what)
    }

    private mutating func id(_ value: JSONValue?, field: String, what: String) -> UUID? {
        guard case .string(let text)? = value, let id = UUID(uuidString: text) else {
            fail(field, value == nil ? "is required: \(what)" : "must be \(what) (a UUID)")
            return nil
        }
        return id
    }

    mutating func audience() -> CampaignDefinition.Audience? {
        guard case .object(let audience)? = fields["audience"] else {
            fail("audience", #"is required: {"segment_id": "<segment id>"} or {"rule": "<rule>"}"#)
            return nil
        }
        for key in audience.keys.sorted() where key != "segment_id" && key != "rule" {
            fail("audience.\(key)", "is not a member of an audience, which takes segment_id or rule")
        }
        switch (audience["segment_id"], audience["rule"]) {
        case (let segment?, nil):
            return id(segment, field: "audience.segment_id", what: "a segment id").map { .segment($0) }
        case (nil, .string(let text)?) where !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty:
            return .rule(.string(text))
        case (nil, .object(let tree)?):
            return .rule(.object(tree))
        case (nil, _?):
            fail("audience.rule", "must be a rule: its text (e.g. \"attributes.plan = \\\"gold\\\"\") or its JSON form")
        case (_?, _?):
            fail("audience", "must have segment_id or rule, not both")
        case (nil, nil):
            fail("audience", "must have segment_id or rule")
        }
        return nil
    }

    mutating func channels() -> [UUID]? {
        guard case .array(let values)? = fields["channels"] else {
            fail("channels", "is required: an array of channel ids in order of preference")
            return nil
        }
        guard (1...CampaignDefinition.maximumChannels).contains(values.count) else {
            fail("channels", "must name 1 to \(CampaignDefinition.maximumChannels) channels")
            return nil
        }
        return uniqueIDs(values, field: "channels", what: "a channel id")
    }

    private mutating func uniqueIDs(_ values: [JSONValue], field: String, what: String) -> [UUID]? {
        var ids: [UUID] = []
        var failed = false
        for (index, value) in values.enumerated() {
            guard let id = id(value, field: "\(field)[\(index)]", what: what) else {
                failed = true
                continue
            }
            if ids.contains(id) {
                fail("\(field)[\(index)]", "names \(id.canonicalText) a second time; name each once")
                failed = true
            }
            ids.append(id)
        }
        return failed ? nil : ids
    }

    mutating func offers() -> CampaignDefinition.Offers? {
        guard let value = fields["offers"] else { return nil }
        guard case .object(let offers) = value else {
            fail("offers", #"must be an object: {"offer_ids": [...], "mode": "arbitrate" or "fixed", "required": false}"#)
            return nil
        }
        for key in offers.keys.sorted() where !["offer_ids", "mode", "required"].contains(key) {
            fail("offers.\(key)", "is not a member of offers, which takes offer_ids, mode and required")
        }
        guard case .array(let values)? = offers["offer_ids"], values.count <= CampaignDefinition.maximumOffers else {
            fail("offers.offer_ids", "is required: an array of at most \(CampaignDefinition.maximumOffers) offer ids")
            return nil
        }
        var mode = CampaignDefinition.OfferMode.arbitrate
        if let value = offers["mode"] {
            guard case .string(let text) = value, let chosen = CampaignDefinition.OfferMode(rawValue: text) else {
                fail("offers.mode", "must be arbitrate (ranked, docs/offers.md) or fixed (the first eligible in order)")
                return nil
            }
            mode = chosen
        }
        var required = false
        if let value = offers["required"] {
            guard case .bool(let flag) = value else {
                fail("offers.required", "must be true or false")
                return nil
            }
            required = flag
        }
        if required && values.isEmpty {
            fail("offers.offer_ids", "must name at least one offer when offers.required is true")
            return nil
        }
        guard let ids = uniqueIDs(values, field: "offers.offer_ids", what: "an offer id") else { return nil }
        return CampaignDefinition.Offers(offerIDs: ids, mode: mode, required: required)
    }

    mutating func schedule() -> CampaignSchedule? {
        guard case .object(let schedule)? = fields["schedule"] else {
            fail(
                "schedule", #"is required: {"type": "now"}, {"type": "at", …}, {"type": "local", …} or {"type": "recurring", …}"#)
            return nil
        }
        do throws(ScheduleError) {
            return try CampaignSchedule(fields: schedule)
        } catch {
            fail(error.field, error.message)
            return nil
        }
    }

    mutating func throttle() -> Int? {
        guard let value = fields["throttle_per_second"] else { return nil }
        guard case .number(let number) = value, number.rounded() == number,
            (1...Double(CampaignDefinition.maximumThrottle)).contains(number)
        else {
            fail(
                "throttle_per_second",
                "must be a whole number of messages per second from 1 to \(CampaignDefinition.maximumThrottle)")
            return nil
        }
        return Int(number)
    }

    mutating func holdout() -> Double? {
        guard let value = fields["holdout_percent"] else { return nil }
        guard case .number(let percent) = value else {
            fail("holdout_percent", "must be a number from 0 to 100 (a percent of the audience)")
            return nil
        }
        do throws(ValidationError) {
            try Holdout.validate(percent: percent)
            return percent
        } catch {
            errors.append(error)
            return nil
        }
    }

    mutating func expiresAfter() -> PolicyWindow? {
        guard let value = fields["expires_after"] else { return nil }
        guard case .string(let text) = value, let window = PolicyWindow(text),
            window.seconds <= CampaignDefinition.maximumExpiresAfterSeconds
        else {
            fail(
                "expires_after",
                #"must be "<n> <unit>", n from 1 to 999 of minutes, hours, days or weeks, at most 366 days (e.g. "24 hours")"#)
            return nil
        }
        return window
    }
}

extension CampaignFieldReader {
    /// `topic`: a topic key (docs/closed-loop.md, "Topics"), or absent.
    mutating func topic() -> String? {
        switch fields["topic"] {
        case nil, .null?: return nil
        case .string(let text)? where !text.isEmpty:
            do throws(ValidationError) { return try ConsentTopic.validate(text) } catch {
                errors.append(error)
                return nil
            }
        default:
            errors.append(
                ValidationError(field: "topic", message: "must be a topic key: lower-case letters, digits, _ or -, at most 64"))
            return nil
        }
    }
}

extension CampaignFieldReader {
    /// `trigger`: what fires a triggered campaign; it replaces `audience` and `schedule`.
    mutating func trigger() -> CampaignTrigger? {
        guard let value = fields["trigger"] else { return nil }
        for member in ["audience", "schedule", "throttle_per_second", "holdout_percent"] where fields[member] != nil {
            errors.append(
                ValidationError(field: member, message: "is not taken by a triggered campaign: its trigger decides who and when"))
        }
        do throws(ValidationErrors) {
            return try CampaignTrigger(json: value)
        } catch {
            errors += error.errors
            return nil
        }
    }
}
