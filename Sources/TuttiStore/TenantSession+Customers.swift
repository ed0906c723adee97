import Foundation
import PostgresNIO
import TuttiDomain
import TuttiQueue

extension TenantSession {
    /// The customer `id` names, following merges to the survivor; nil when there is none.
    public func customerGet(id: UUID) async throws -> Customer? {
        try await customerLoad(id: id, identity: nil)
    }

    /// The customer holding `identity`, or nil.
    public func customerFind(_ identity: Identity) async throws -> Customer? {
        try await customerLoad(id: nil, identity: identity)
    }

    /// The live customer that `id` resolves to (itself, or the survivor it was merged into).
    public func customerResolve(id: UUID) async throws -> UUID? {
        let rows = try await query(
            """
            WITH RECURSIVE chain AS (
                SELECT id, merged_into, 0 AS depth FROM customers WHERE tenant_id = \(tenantID) AND id = \(id)
                UNION ALL
                SELECT c.id, c.merged_into, chain.depth + 1 FROM customers c
                JOIN chain ON c.tenant_id = \(tenantID) AND c.id = chain.merged_into WHERE chain.depth < 64
            )
            SELECT id FROM chain WHERE merged_into IS NULL LIMIT 1
            """)
        if let id = try await rows.decode(UUID.self).firstRow() { return id }
        return nil
    }

    /// One round trip: find the starting customer (by id or by identity), follow merges to
    /// the survivor, and return its profile, identities and the ids merged into it.
    private func customerLoad(id: UUID?, identity: Identity?) async throws -> Customer? {
        try await CustomerLoadStatement(tenantID: tenantID, identity: identity, id: id).customer(on: connection, logger: logger)
    }

    static func identityRecords(_ json: String) -> [IdentityRecord] {
        guard case .array(let items)? = JSONValue.parse(json) else { return [] }
        return items.compactMap { item in
            guard let object = item.objectValue, let typeText = object["type"]?.stringValue, let type = IdentityType(typeText),
                let value = object["value"]?.stringValue
            else { return nil }
            var created = Date(timeIntervalSince1970: 0)
            if case .number(let seconds)? = object["created_at"] { created = Date(timeIntervalSince1970: seconds) }
            return IdentityRecord(identity: Identity(stored: type, value: value), source: object["source"]?.stringValue, createdAt: created)
        }
    }
}

extension TenantSession {
    /// A page of live customers, oldest first.
    public func customerList(page: PageRequest) async throws -> Page<Customer> {
        let after = page.after ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        let rows = try await query(
            """
            SELECT c.id, c.attributes::text, c.created_at, c.updated_at,
                   (SELECT coalesce(json_agg(json_build_object('type', i.type, 'value', i.value, 'source', i.source,
                                                               'created_at', extract(epoch FROM i.created_at))
                                             ORDER BY i.type, i.value), '[]')::text
                    FROM customer_identities i WHERE i.tenant_id = c.tenant_id AND i.customer_id = c.id)
            FROM customers c
            WHERE c.tenant_id = \(tenantID) AND c.merged_into IS NULL AND c.id > \(after)
            ORDER BY c.id LIMIT \(page.limit + 1)
            """)
        var customers: [Customer] = []
        for try await (id, attributes, createdAt, updatedAt, identities) in rows.decode((UUID, String, Date, Date, String).self) {
            customers.append(Customer(
                id: id, identities: Self.identityRecords(identities), attributes: JSONColumns.object(attributes),
                createdAt: createdAt, updatedAt: updatedAt, mergedIDs: []))
        }
        return Page(fetched: customers, request: page, id: \.id)
    }
}
