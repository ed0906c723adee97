import Foundation

/// One typed identity of a customer, normalized so that the same person written two ways is
/// one identity: e-mail trimmed and lower-cased, phone numbers in E.164, handles without `@`.
public struct Identity: Sendable, Hashable, Codable, CustomStringConvertible {
    public var type: IdentityType
    public var value: String

    /// An identity already normalized (read back from the database).
    public init(stored type: IdentityType, value: String) {
        self.type = type
        self.value = value
    }

    /// Normalizes `value` as an identity of `type`; national phone numbers use `defaultCountry`
    /// (ISO 3166 alpha-2). Throws a validation error naming `field`.
    public init(type: IdentityType, value raw: String, defaultCountry: String? = nil, field: String = "value") throws(ValidationError) {
        let value = raw.trimmedOfWhitespace
        guard !value.isEmpty else { throw ValidationError(field: field, message: "must not be empty") }
        guard value.count <= 320, !value.containsControlCharacter else {
            throw ValidationError(field: field, message: "is too long or contains control characters")
        }
        self.type = type
        switch type {
        case .email:
            self.value = try EmailAddress.normalize(value, field: field)
        case .phone:
            self.value = try PhoneNumber.normalize(value, defaultCountry: defaultCountry, field: field)
        case .x, .facebook, .instagram:
            let handle = (value.hasPrefix("@") ? String(value.dropFirst()) : value).lowercased()
            guard (1...100).contains(handle.count),
                handle.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") })
            else { throw ValidationError(field: field, message: "is not a \(type) handle") }
            self.value = handle
        case .mastodon:
            let handle = (value.hasPrefix("@") ? String(value.dropFirst()) : value).lowercased()
            let parts = handle.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
                parts.allSatisfy({ $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) } })
            else { throw ValidationError(field: field, message: "is not a Mastodon handle (user@host)") }
            self.value = handle
        case .apns:
            let token = value.lowercased()
            guard token.count >= 32, token.count <= 200, token.allSatisfy(\.isHexDigit) else {
                throw ValidationError(field: field, message: "is not an APNs device token (hex)")
            }
            self.value = token
        case .fcm:
            guard value.count <= 4096, value.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw ValidationError(field: field, message: "is not an FCM registration token")
            }
            self.value = value
        case .externalID, .anonymousID, .other:
            guard value.count <= 255 else { throw ValidationError(field: field, message: "must be at most 255 characters") }
            self.value = value
        }
    }

    /// `type:value`, the form used in `?identity=` lookups.
    public var description: String { "\(type):\(value)" }

    /// Parses `type:value` (the value may itself contain colons).
    public init(parsing text: String, defaultCountry: String? = nil) throws(ValidationError) {
        let typeText: String, valueText: String
        if text.hasPrefix("other:") {
            let rest = text.dropFirst("other:".count)
            guard let colon = rest.utf8.firstIndex(of: UInt8(ascii: ":")) else { throw ValidationError(field: "identity", message: "must be type:value") }
            typeText = "other:" + rest[..<colon]
            valueText = String(rest[rest.index(after: colon)...])
        } else {
            // The UTF-8 view: searching Characters breaks graphemes, a cost on every lookup.
            guard let colon = text.utf8.firstIndex(of: UInt8(ascii: ":")) else { throw ValidationError(field: "identity", message: "must be type:value") }
            typeText = String(text[..<colon])
            valueText = String(text[text.index(after: colon)...])
        }
        guard let type = IdentityType(typeText) else {
            throw ValidationError(field: "identity", message: "has an unknown type \(typeText)")
        }
        try self.init(type: type, value: valueText, defaultCountry: defaultCountry, field: "identity")
    }

    enum CodingKeys: String, CodingKey { case type, value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let typeText = try container.decode(String.self, forKey: .type)
        guard let type = IdentityType(typeText) else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "unknown identity type")
        }
        self.init(stored: type, value: try container.decode(String.self, forKey: .value))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type.description, forKey: .type)
        try container.encode(value, forKey: .value)
    }
}
