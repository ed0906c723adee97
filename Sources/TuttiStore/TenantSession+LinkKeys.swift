import Crypto
import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

extension TenantSession {
    /// This tenant's link key (``LinkToken``), made on first use: 32 random bytes sealed under
    /// the channel keyring's current key (AES-256-GCM, bound to the tenant) in `link_keys`.
    /// Two processes making it at once agree: the first insert wins and both read it back.
    public func linkKey(keyring: ChannelKeyring) async throws -> SymmetricKey {
        if let key = try await linkKeyRead(keyring: keyring) { return key }
        let fresh = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let sealed = try keyring.seal(["link_key": fresh.base64EncodedString()], tenantID: tenantID, channelID: tenantID)
        try await execute(
            """
            INSERT INTO link_keys (tenant_id, key_id, sealed) VALUES (\(tenantID), \(sealed.keyID), \(Data(sealed.box)))
            ON CONFLICT (tenant_id) DO NOTHING
            """)
        guard let key = try await linkKeyRead(keyring: keyring) else { throw StoreError.unavailable }
        return key
    }

    /// Re-seals this tenant's link key under the keyring's current key when another key sealed
    /// it; 1 when it did, else 0. For key rotation (`tutti channels reencrypt`): the key itself
    /// stays the same, so every link already sent keeps working.
    public func linkKeyReencrypt(keyring: ChannelKeyring) async throws -> Int {
        let rows = try await query(
            "SELECT key_id FROM link_keys WHERE tenant_id = \(tenantID) AND key_id <> \(keyring.current.id) FOR UPDATE")
        guard try await rows.decode(String.self).firstRow() != nil, let key = try await linkKeyRead(keyring: keyring) else {
            return 0
        }
        let bytes = key.withUnsafeBytes { Data($0) }
        let sealed = try keyring.seal(["link_key": bytes.base64EncodedString()], tenantID: tenantID, channelID: tenantID)
        try await execute(
            "UPDATE link_keys SET key_id = \(sealed.keyID), sealed = \(Data(sealed.box)) WHERE tenant_id = \(tenantID)")
        return 1
    }

    private func linkKeyRead(keyring: ChannelKeyring) async throws -> SymmetricKey? {
        let rows = try await query("SELECT key_id, sealed FROM link_keys WHERE tenant_id = \(tenantID)")
        guard let (keyID, sealed) = try await rows.decode((String, Data).self).firstRow() else { return nil }
        let opened = try keyring.open(Array(sealed), keyID: keyID, tenantID: tenantID, channelID: tenantID)
        guard let text = opened["link_key"], let bytes = Data(base64Encoded: text), bytes.count == 32 else {
            throw ChannelSecretError.doesNotOpen(keyID)
        }
        return SymmetricKey(data: bytes)
    }
}

/// Tenants' link keys, remembered: a key never changes once made, so each process asks the
/// database once per tenant (and again only after ``maximumEntries`` tenants filled the cache).
public actor LinkKeyCache {
    static let maximumEntries = 10_000
    private var keys: [UUID: SymmetricKey] = [:]
    private let keyring: ChannelKeyring

    public init(keyring: ChannelKeyring) {
        self.keyring = keyring
    }

    /// The tenant's key, from memory or from `session` (whose tenant it must be).
    public func key(session: TenantSession) async throws -> SymmetricKey {
        if let key = keys[session.tenantID] { return key }
        let key = try await session.linkKey(keyring: keyring)
        if keys.count >= Self.maximumEntries { keys.removeAll(keepingCapacity: true) }
        keys[session.tenantID] = key
        return key
    }
}
