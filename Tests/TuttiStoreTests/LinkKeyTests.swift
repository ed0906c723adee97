import Foundation
import PostgresNIO
import Testing
import TuttiDomain
import TuttiStore
import TuttiTestSupport

/// A tenant's link key (unsubscribe and preference links): made once, sealed under the channel
/// keyring, the same key for every process, re-sealed (not replaced) by a key rotation so
/// links already sent keep working, and each tenant's own.
@Suite("Link keys")
struct LinkKeyTests {
    private static func key() -> String { Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString() }

    @Test func theKeyIsMadeOnceSealedAndSurvivesAKeyRotation() async throws {
        let oldKey = Self.key(), newKey = Self.key()
        let old = try ChannelKeyring(parsing: "k1:\(oldKey)")
        let both = try ChannelKeyring(parsing: "k2:\(newKey),k1:\(oldKey)")
        let onlyNew = try ChannelKeyring(parsing: "k2:\(newKey)")
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Links", in: database)
            let other = try await TestTenant.make("Other links", in: database)
            let customer = UUID(), message = UUID()
            let token = LinkToken.unsubscribe(tenantID: tenant.tenant.id, customerID: customer, messageID: message, topic: "news")
            let signed = try await database.withTenant(tenant.tenant.id, logger: TestDatabase.logger) { session in
                let key = try await session.linkKey(keyring: old)
                // Made once: asked again (as another process would), the same key.
                let again = try await session.linkKey(keyring: old)
                #expect(LinkToken.verify(token.signed(with: key), key: again) == token)
                // Not stored in clear: the sealed box does not contain the signature's key bytes.
                let rows = try await session.connection.query(
                    "SELECT key_id, length(sealed) FROM link_keys WHERE tenant_id = \(session.tenantID)", logger: session.logger)
                for try await (keyID, length) in rows.decode((String, Int32).self) { #expect(keyID == "k1" && length > 32) }
                await #expect(throws: ChannelSecretError.unknownKey("k1")) { try await session.linkKey(keyring: onlyNew) }
                #expect(try await session.linkKeyReencrypt(keyring: both) == 1)
                #expect(try await session.linkKeyReencrypt(keyring: both) == 0, "a second run has nothing left to do")
                return token.signed(with: key)
            }
            try await database.withTenant(tenant.tenant.id, logger: TestDatabase.logger) { session in
                // After the rotation the old key can go: the link key is the same, old links verify.
                let rotated = try await session.linkKey(keyring: onlyNew)
                #expect(LinkToken.verify(signed, key: rotated) == token)
                #expect(LinkToken.claimedTenant(signed) == tenant.tenant.id)
            }
            try await database.withTenant(other.tenant.id, logger: TestDatabase.logger) { session in
                let theirs = try await session.linkKey(keyring: onlyNew)
                #expect(LinkToken.verify(signed, key: theirs) == nil, "another tenant's key")
            }
        }
    }

    @Test func tokensRoundTripAndAnyChangedByteIsRefused() async throws {
        let made = try await withTestDatabase { database in try await TestTenant.make("Tokens", in: database).tenant.id }
        let key = try await withTestDatabase { database in
            try await database.withTenant(made, logger: TestDatabase.logger) { try await $0.linkKey(keyring: .development) }
        }
        let tenant = made, customer = UUID()
        let expires = Date(timeIntervalSince1970: 1_900_000_000)
        let preferences = LinkToken.preferences(tenantID: tenant, customerID: customer, expires: expires)
        let unsubscribe = LinkToken.unsubscribe(tenantID: tenant, customerID: customer, messageID: UUID(), topic: "")
        for token in [preferences, unsubscribe] {
            let text = token.signed(with: key)
            #expect(text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }, "URL-safe: \(text)")
            #expect(LinkToken.verify(text, key: key) == token)
            var bytes = Array(Base64URL.decode(text)!)
            for index in bytes.indices {
                bytes[index] ^= 0x01
                #expect(LinkToken.verify(Base64URL.encode(bytes), key: key) == nil, "byte \(index) flipped")
                bytes[index] ^= 0x01
            }
        }
    }
}
