import Foundation
import TuttiDomain

/// `{"data": [...], "next_cursor": ...}`, the shape of every list.
struct ListResource<Item: Encodable & Sendable>: Encodable, Sendable {
    var data: [Item]
    var nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case data
        case nextCursor = "next_cursor"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(data, forKey: .data)
        // Always present, null on the last page, so clients can test one key.
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}

/// A tenant as the API shows it.
struct TenantResource: Encodable, Sendable {
    var id: String
    var name: String
    var createdAt: Date
    var defaultCountry: String?
    /// The tenant's default time zone (a new tenant's is UTC).
    var timeZone = "UTC"
    var smsSegmentLimit: Int
    /// The answer to an SMS HELP or INFO (docs/closed-loop.md); shown by `GET/PATCH /v1/tenant`.
    var smsHelpText: String?

    enum CodingKeys: String, CodingKey {
        case id, name
        case createdAt = "created_at"
        case defaultCountry = "default_country"
        case timeZone = "time_zone"
        case smsSegmentLimit = "sms_segment_limit"
        case smsHelpText = "sms_help_text"
    }

    init(_ tenant: Tenant) {
        id = tenant.id.lowercasedText
        name = tenant.name
        createdAt = tenant.createdAt
        defaultCountry = tenant.defaultCountry
        smsSegmentLimit = tenant.smsSegmentLimit
    }

    init(_ tenant: Tenant, timeZone: String) {
        self.init(tenant)
        self.timeZone = timeZone
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(defaultCountry, forKey: .defaultCountry)
        try container.encode(timeZone, forKey: .timeZone)
        try container.encode(smsSegmentLimit, forKey: .smsSegmentLimit)
        try container.encodeIfPresent(smsHelpText, forKey: .smsHelpText)
    }
}

/// An API key as the API shows it; `key` (the token) only in the response that created it.
struct APIKeyResource: Encodable, Sendable {
    var id: String
    var name: String
    var role: String
    var prefix: String
    var createdAt: Date
    var lastUsedAt: Date?
    var revokedAt: Date?
    var key: String?

    enum CodingKeys: String, CodingKey {
        case id, name, role, prefix, key
        case createdAt = "created_at"
        case lastUsedAt = "last_used_at"
        case revokedAt = "revoked_at"
    }

    init(_ apiKey: APIKey, token: String? = nil) {
        id = apiKey.id.lowercasedText
        name = apiKey.name
        role = apiKey.role.rawValue
        prefix = apiKey.prefix
        createdAt = apiKey.createdAt
        lastUsedAt = apiKey.lastUsedAt
        revokedAt = apiKey.revokedAt
        key = token
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(role, forKey: .role)
        try container.encode(prefix, forKey: .prefix)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(lastUsedAt, forKey: .lastUsedAt)
        try container.encode(revokedAt, forKey: .revokedAt)
        try container.encodeIfPresent(key, forKey: .key)
    }
}

/// `POST /v1/tenants` answers with the tenant and its first admin key.
struct TenantCreatedResource: Encodable, Sendable {
    var tenant: TenantResource
    var apiKey: APIKeyResource

    enum CodingKeys: String, CodingKey {
        case tenant
        case apiKey = "api_key"
    }
}

extension UUID {
    /// The canonical lower-case text of an id, as every response writes it.
    var lowercasedText: String { uuidString.lowercased() }
}
