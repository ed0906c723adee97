import Foundation

/// An API key as shown to administrators: everything but the secret, which is shown once at
/// creation and then only its hash is kept.
public struct APIKey: Sendable, Equatable {
    /// Identifier used in the `/v1/api-keys/{id}` routes.
    public var id: UUID
    /// The tenant the key acts for.
    public var tenantID: UUID
    /// A label chosen by whoever created the key.
    public var name: String
    /// What the key may do.
    public var role: APIKeyRole
    /// The non-secret part of the token, by which the key is found on each request.
    public var prefix: String
    public var createdAt: Date
    /// Refreshed at most once a minute, so authentication does not write on every request.
    public var lastUsedAt: Date?
    /// Set once, when the key is revoked; a revoked key never authenticates again.
    public var revokedAt: Date?

    public init(
        id: UUID, tenantID: UUID, name: String, role: APIKeyRole, prefix: String,
        createdAt: Date, lastUsedAt: Date?, revokedAt: Date?
    ) {
        self.id = id
        self.tenantID = tenantID
        self.name = name
        self.role = role
        self.prefix = prefix
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }
}

/// A key and the token that carries its secret: the only moment the secret exists in clear.
public struct IssuedAPIKey: Sendable {
    public var key: APIKey
    /// The full bearer token (`tutti_<prefix>_<secret>`); never stored, never logged.
    public var token: String

    public init(key: APIKey, token: String) {
        self.key = key
        self.token = token
    }
}

/// Who is calling: the tenant and role resolved from a valid, unrevoked key.
public struct Principal: Sendable, Equatable {
    public var tenantID: UUID
    public var keyID: UUID
    public var role: APIKeyRole

    public init(tenantID: UUID, keyID: UUID, role: APIKeyRole) {
        self.tenantID = tenantID
        self.keyID = keyID
        self.role = role
    }
}
