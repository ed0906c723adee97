import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

/// A stored topic.
public struct Topic: Sendable, Hashable {
    public var id: UUID
    public var definition: TopicDefinition
    public var createdAt: Date
    public var updatedAt: Date
}

/// A topic's key is taken by another topic of the tenant.
public struct TopicKeyTaken: Error, Sendable {
    public var key: String
}

extension TenantSession {
    /// Creates a topic; throws ``TopicKeyTaken`` when its key is in use.
    public func topicInsert(_ definition: TopicDefinition) async throws -> Topic {
        let rows = try await topicWrite(
            """
            INSERT INTO topics (tenant_id, id, key, name, description, mandatory, channels)
            VALUES (\(tenantID), \(UUID.v7()), \(definition.key), \(definition.name), \(definition.description),
                    \(definition.mandatory), \(definition.channels.map(\.rawValue)))
            RETURNING \(unescaped: Self.topicColumns)
            """, key: definition.key)
        guard let topic = rows.first else { throw StoreError.unavailable }
        return topic
    }

    public func topicGet(id: UUID) async throws -> Topic? {
        try await topicRows("SELECT \(unescaped: Self.topicColumns) FROM topics WHERE tenant_id = \(tenantID) AND id = \(id)")
            .first
    }

    /// Every topic of the tenant, by key (a tenant has tens, not thousands).
    public func topicList() async throws -> [Topic] {
        try await topicRows(
            "SELECT \(unescaped: Self.topicColumns) FROM topics WHERE tenant_id = \(tenantID) ORDER BY key LIMIT 1000")
    }

    /// Replaces a topic's definition; nil when there is none with this id.
    public func topicUpdate(id: UUID, _ definition: TopicDefinition, now: Date) async throws -> Topic? {
        try await topicWrite(
            """
            UPDATE topics SET key = \(definition.key), name = \(definition.name), description = \(definition.description),
                mandatory = \(definition.mandatory), channels = \(definition.channels.map(\.rawValue)), updated_at = \(now)
            WHERE tenant_id = \(tenantID) AND id = \(id)
            RETURNING \(unescaped: Self.topicColumns)
            """, key: definition.key
        ).first
    }

    /// Deletes a topic; false when there was none. Consents recorded for its key stay in the
    /// ledger as the evidence they are.
    public func topicDelete(id: UUID) async throws -> Bool {
        let rows = try await query("DELETE FROM topics WHERE tenant_id = \(tenantID) AND id = \(id) RETURNING 1")
        return try await rows.firstRow() != nil
    }

    private static let topicColumns = "id, key, name, description, mandatory, channels, created_at, updated_at"

    private func topicWrite(_ statement: PostgresQuery, key: String) async throws -> [Topic] {
        do {
            return try await topicRows(statement)
        } catch {
            if StoreError(error).isConflict { throw TopicKeyTaken(key: key) }
            throw error
        }
    }

    private func topicRows(_ statement: PostgresQuery) async throws -> [Topic] {
        let rows = try await query(statement)
        var topics: [Topic] = []
        for try await (id, key, name, description, mandatory, channels, createdAt, updatedAt) in rows.decode(
            (UUID, String, String, String, Bool, [String], Date, Date).self)
        {
            let definition = TopicDefinition(
                key: key, name: name, description: description, mandatory: mandatory,
                channels: channels.compactMap(ConsentChannel.init(rawValue:)))
            topics.append(Topic(id: id, definition: definition, createdAt: createdAt, updatedAt: updatedAt))
        }
        return topics
    }
}
