import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

extension TenantSession {
    private static let channelColumns = """
        id, type, name, config::text, secret_hints::text, rate_limit_per_second, secondary_channel_id, secrets_key_id, created_at, updated_at
        """

    private typealias ChannelRow = (UUID, String, String, String, String, Int?, UUID?, String, Date, Date)

    private static func record(_ row: ChannelRow) -> ChannelRecord {
        ChannelRecord(
            id: row.0, type: ChannelType(rawValue: row.1) ?? .webhook, name: row.2,
            config: JSONValue.parse(row.3)?.objectValue ?? [:], secretHints: JSONValue.parse(row.4)?.objectValue ?? [:],
            rateLimitPerSecond: row.5, secondaryChannelID: row.6, secretsKeyID: row.7, createdAt: row.8, updatedAt: row.9)
    }

    private static func hints(_ configuration: ChannelConfiguration) -> String {
        JSONValue.object(configuration.secrets.mapValues(ChannelConfiguration.mask)).jsonText
    }

    /// Creates a channel, sealing its credentials with the keyring's current key.
    public func channelInsert(
        name: String, configuration: ChannelConfiguration, rateLimitPerSecond: Int?, secondaryChannelID: UUID?, keyring: ChannelKeyring
    ) async throws -> ChannelRecord {
        let id = UUID.v7()
        try await channelCheckSecondary(secondaryChannelID, of: id, type: configuration.type)
        let sealed = try keyring.seal(configuration.secrets, tenantID: tenantID, channelID: id)
        do {
            try await execute(
                """
                INSERT INTO channels (tenant_id, id, type, name, config, secrets, secrets_key_id, secret_hints, rate_limit_per_second, secondary_channel_id)
                VALUES (\(tenantID), \(id), \(configuration.type.rawValue), \(name), \(JSONValue.object(configuration.publicFields).jsonText)::jsonb,
                        \(ByteBuffer(bytes: sealed.box)), \(sealed.keyID), \(Self.hints(configuration))::jsonb, \(rateLimitPerSecond), \(secondaryChannelID))
                """)
        } catch let error as PSQLError where StoreError(error).isConflict {
            throw ChannelWriteError.nameTaken(name)
        }
        guard let record = try await channelGet(id: id) else { throw StoreError.unavailable }
        return record
    }

    /// One live channel without its credentials, or nil.
    public func channelGet(id: UUID) async throws -> ChannelRecord? {
        let rows = try await query(
            "SELECT \(unescaped: Self.channelColumns) FROM channels WHERE tenant_id = \(tenantID) AND id = \(id) AND deleted_at IS NULL")
        if let row = try await rows.decode(ChannelRow.self).firstRow() { return Self.record(row) }
        return nil
    }

    /// A page of the tenant's live channels, oldest first.
    public func channelList(page: PageRequest) async throws -> Page<ChannelRecord> {
        let after = page.after ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        let rows = try await query(
            """
            SELECT \(unescaped: Self.channelColumns) FROM channels
            WHERE tenant_id = \(tenantID) AND deleted_at IS NULL AND id > \(after) ORDER BY id LIMIT \(page.limit + 1)
            """)
        var records: [ChannelRecord] = []
        for try await row in rows.decode(ChannelRow.self) { records.append(Self.record(row)) }
        return Page(fetched: records, request: page, id: \.id)
    }

    /// One live channel with its credentials opened: for sending and for changes. Nil when
    /// there is no such channel; throws ``ChannelSecretError`` when the keyring cannot open it.
    public func channelLoad(id: UUID, keyring: ChannelKeyring, forUpdate: Bool = false) async throws -> DeliveryChannel? {
        let rows = try await query(
            """
            SELECT \(unescaped: Self.channelColumns), secrets FROM channels
            WHERE tenant_id = \(tenantID) AND id = \(id) AND deleted_at IS NULL \(unescaped: forUpdate ? "FOR UPDATE" : "")
            """)
        for try await full in rows.decode((UUID, String, String, String, String, Int?, UUID?, String, Date, Date, ByteBuffer).self) {
            let row: ChannelRow = (full.0, full.1, full.2, full.3, full.4, full.5, full.6, full.7, full.8, full.9)
            let box = full.10
            let record = Self.record(row)
            let secrets = try keyring.open(Array(buffer: box), keyID: record.secretsKeyID, tenantID: tenantID, channelID: id)
            let configuration = try ChannelConfiguration(type: record.type, publicFields: record.config, secrets: secrets)
            return DeliveryChannel(
                id: record.id, name: record.name, configuration: configuration, rateLimitPerSecond: record.rateLimitPerSecond,
                secondaryChannelID: record.secondaryChannelID, createdAt: record.createdAt, updatedAt: record.updatedAt)
        }
        return nil
    }

    /// Replaces a channel's name, settings and policy (the caller merges a PATCH into the
    /// loaded channel first), sealing the credentials afresh under the current key.
    public func channelUpdate(_ channel: DeliveryChannel, keyring: ChannelKeyring) async throws -> ChannelRecord? {
        try await channelCheckSecondary(channel.secondaryChannelID, of: channel.id, type: channel.type)
        let sealed = try keyring.seal(channel.configuration.secrets, tenantID: tenantID, channelID: channel.id)
        do {
            try await execute(
                """
                UPDATE channels SET name = \(channel.name), config = \(JSONValue.object(channel.configuration.publicFields).jsonText)::jsonb,
                    secrets = \(ByteBuffer(bytes: sealed.box)), secrets_key_id = \(sealed.keyID),
                    secret_hints = \(Self.hints(channel.configuration))::jsonb, rate_limit_per_second = \(channel.rateLimitPerSecond),
                    secondary_channel_id = \(channel.secondaryChannelID), updated_at = now()
                WHERE tenant_id = \(tenantID) AND id = \(channel.id) AND deleted_at IS NULL
                """)
        } catch let error as PSQLError where StoreError(error).isConflict {
            throw ChannelWriteError.nameTaken(channel.name)
        }
        return try await channelGet(id: channel.id)
    }

    /// Deletes a live channel (kept as a tombstone for the records that name it); channels
    /// that failed over to it lose their secondary. False when there was no such channel.
    public func channelDelete(id: UUID) async throws -> Bool {
        let rows = try await query(
            """
            UPDATE channels SET deleted_at = now(), secrets = ''::bytea, secret_hints = '{}', updated_at = now()
            WHERE tenant_id = \(tenantID) AND id = \(id) AND deleted_at IS NULL RETURNING id
            """)
        var deleted = false
        for try await _ in rows.decode(UUID.self) { deleted = true }
        if deleted {
            try await execute(
                "UPDATE channels SET secondary_channel_id = NULL, updated_at = now() WHERE tenant_id = \(tenantID) AND secondary_channel_id = \(id)")
        }
        return deleted
    }

    /// Re-seals, under the keyring's current key, every channel of the tenant sealed under
    /// another key; returns how many. For key rotation (`tutti channels reencrypt`).
    public func channelReencrypt(keyring: ChannelKeyring) async throws -> Int {
        let rows = try await query(
            """
            SELECT id FROM channels WHERE tenant_id = \(tenantID) AND deleted_at IS NULL AND secrets_key_id <> \(keyring.current.id)
            FOR UPDATE
            """)
        var ids: [UUID] = []
        for try await id in rows.decode(UUID.self) { ids.append(id) }
        for id in ids {
            guard let channel = try await channelLoad(id: id, keyring: keyring) else { continue }
            let sealed = try keyring.seal(channel.configuration.secrets, tenantID: tenantID, channelID: id)
            try await execute(
                """
                UPDATE channels SET secrets = \(ByteBuffer(bytes: sealed.box)), secrets_key_id = \(sealed.keyID)
                WHERE tenant_id = \(tenantID) AND id = \(id)
                """)
        }
        return ids.count
    }

    private func channelCheckSecondary(_ secondary: UUID?, of id: UUID, type: ChannelType) async throws {
        guard let secondary else { return }
        guard secondary != id else { throw ChannelWriteError.invalidSecondary("a channel cannot be its own secondary") }
        guard let other = try await channelGet(id: secondary) else {
            throw ChannelWriteError.invalidSecondary("there is no channel with this id")
        }
        guard other.type == type else {
            throw ChannelWriteError.invalidSecondary("the secondary is a \(other.type.rawValue) channel; it must be \(type.rawValue) too")
        }
    }
}
