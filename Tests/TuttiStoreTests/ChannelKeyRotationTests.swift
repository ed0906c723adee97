import Foundation
import PostgresNIO
import Testing
import TuttiDomain
import TuttiStore
import TuttiTestSupport

/// Channel credentials at rest: sealed per row, opened by any listed key, re-sealed under the
/// first one by `tutti channels reencrypt`.
@Suite("Channel key rotation")
struct ChannelKeyRotationTests {
    private static func key() -> String { Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString() }

    private static let configuration = try! ChannelConfiguration(
        type: .twilio,
        fields: ["account_sid": .string("AC1"), "auth_token": .string("twilio-auth-token-123"), "from": .string("+15005550006")])

    @Test func aRotationReSealsUnderTheNewKeyAfterWhichTheOldKeyCanGo() async throws {
        let oldKey = Self.key(), newKey = Self.key()
        let old = try ChannelKeyring(parsing: "k1:\(oldKey)")
        let both = try ChannelKeyring(parsing: "k2:\(newKey),k1:\(oldKey)")
        let onlyNew = try ChannelKeyring(parsing: "k2:\(newKey)")
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Rotation", in: database)
            try await database.withTenant(tenant.tenant.id, logger: TestDatabase.logger) { session in
                let record = try await session.channelInsert(
                    name: "SMS", configuration: Self.configuration, rateLimitPerSecond: nil, secondaryChannelID: nil, keyring: old
                )
                #expect(record.secretsKeyID == "k1")
                await #expect(throws: ChannelSecretError.unknownKey("k1")) {
                    try await session.channelLoad(id: record.id, keyring: onlyNew)
                }
                #expect(
                    try await session.channelLoad(id: record.id, keyring: both)?.configuration == Self.configuration,
                    "every listed key opens")

                #expect(try await session.channelReencrypt(keyring: both) == 1)
                #expect(try await session.channelReencrypt(keyring: both) == 0, "a second run has nothing left to do")
                #expect(try await session.channelGet(id: record.id)?.secretsKeyID == "k2")
                #expect(try await session.channelLoad(id: record.id, keyring: onlyNew)?.configuration == Self.configuration)
            }
        }
    }

    @Test func aSealedBoxCopiedIntoAnotherRowDoesNotOpen() async throws {
        let keyring = try ChannelKeyring(parsing: "k1:\(Self.key())")
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make("Copied box", in: database)
            try await database.withTenant(tenant.tenant.id, logger: TestDatabase.logger) { session in
                let first = try await session.channelInsert(
                    name: "One", configuration: Self.configuration, rateLimitPerSecond: nil, secondaryChannelID: nil,
                    keyring: keyring)
                let second = try await session.channelInsert(
                    name: "Two", configuration: Self.configuration, rateLimitPerSecond: nil, secondaryChannelID: nil,
                    keyring: keyring)
                // Read, then written: Citus refuses a sub-select in an UPDATE's SET.
                var box: ByteBuffer?
                let rows = try await session.connection.query(
                    "SELECT secrets FROM channels WHERE tenant_id = \(tenant.tenant.id) AND id = \(first.id)",
                    logger: TestDatabase.logger)
                for try await secrets in rows.decode(ByteBuffer.self) { box = secrets }
                try await session.connection.query(
                    "UPDATE channels SET secrets = \(try #require(box)) WHERE tenant_id = \(tenant.tenant.id) AND id = \(second.id)",
                    logger: TestDatabase.logger)
                await #expect(throws: ChannelSecretError.doesNotOpen("k1")) {
                    try await session.channelLoad(id: second.id, keyring: keyring)
                }
            }
        }
    }

    @Test func malformedKeyListsAreRefusedNamingTheVariable() {
        for text in ["k1", "k1:short", "k1:\(Self.key()),k1:\(Self.key())", "bad id:\(Self.key())"] {
            #expect(throws: ConfigurationError.self, "\(text)") { try ChannelKeyring(parsing: text) }
        }
    }
}
