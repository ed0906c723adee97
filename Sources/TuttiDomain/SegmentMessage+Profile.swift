import Foundation

extension SegmentMessage {
    /// The identities this message names: `userId` as `external_id`, `anonymousId` as
    /// `anonymous_id`, and for `identify` the `email` and `phone` traits. `alias` names its
    /// `previousId` separately (see ``aliasCandidates``).
    public func identities(defaultCountry: String?) throws(ValidationError) -> [Identity] {
        var identities: [Identity] = []
        if let userID { identities.append(try Identity(type: .externalID, value: userID, field: "userId")) }
        if let anonymousID { identities.append(try Identity(type: .anonymousID, value: anonymousID, field: "anonymousId")) }
        if kind == .identify {
            if let email = traits["email"]?.stringValue, !email.isEmpty {
                identities.append(try Identity(type: .email, value: email, field: "traits.email"))
            }
            if let phone = traits["phone"]?.stringValue, !phone.isEmpty {
                identities.append(try Identity(type: .phone, value: phone, defaultCountry: defaultCountry, field: "traits.phone"))
            }
        }
        return identities
    }

    /// For `alias`: the identities `previousId` may be (an anonymous id or an earlier user id).
    public func aliasCandidates() throws(ValidationError) -> [Identity] {
        guard kind == .alias, let previousID else { return [] }
        return [
            try Identity(type: .anonymousID, value: previousID, field: "previousId"),
            try Identity(type: .externalID, value: previousID, field: "previousId"),
        ]
    }

    /// The profile attributes an `identify` writes: its traits, checked like any attribute write.
    public func attributeWrite() throws(ValidationErrors) -> [String: JSONValue] {
        guard kind == .identify, !traits.isEmpty else { return [:] }
        do {
            return try CustomerAttributes.validate(traits)
        } catch {
            throw ValidationErrors(error.errors.map {
                ValidationError(field: $0.field.replacingOccurrences(of: "attributes.", with: "traits."), message: $0.message)
            })
        }
    }

    /// What the timeline records for this message.
    public func eventProperties() -> [String: JSONValue] {
        switch kind {
        case .identify: traits
        case .group: ["group_id": .string(groupID ?? ""), "traits": .object(traits)]
        case .alias: ["previous_id": .string(previousID ?? ""), "user_id": .string(userID ?? "")]
        default: properties
        }
    }
}
