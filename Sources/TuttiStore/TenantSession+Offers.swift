import Foundation
import PostgresNIO
import TuttiDomain

/// Why an offer cannot be saved.
public enum OfferWriteError: Error, Sendable, Equatable {
    /// Another live offer of the tenant has this code (codes compare case-insensitively).
    case codeTaken(String)
}

extension TenantSession {
    /// Saves a new offer. `eligibilityRule` is the checked form of `definition.eligibility`.
    public func offerInsert(_ definition: OfferDefinition, eligibilityRule: RuleExpression?) async throws -> Offer {
        let id = UUID.v7()
        let d = definition
        do {
            try await execute(
                """
                INSERT INTO offers (tenant_id, id, code, name, description, eligibility_text, eligibility, starts_at, ends_at,
                    priority, value, currency, per_customer_limit, total_cap, weight, creative)
                VALUES (\(tenantID), \(id), \(d.code), \(d.name), \(d.description), \(d.eligibility),
                    \(try OfferRow.ruleJSON(eligibilityRule))::jsonb, \(d.startsAt), \(d.endsAt), \(Int32(d.priority)), \(d.value),
                    \(d.currency), \(d.perCustomerLimit.map(Int32.init)), \(d.totalCap.map(Int32.init)), \(d.weight),
                    \(try OfferRow.creativeJSON(d.creative))::jsonb)
                """)
        } catch let error as PSQLError where StoreError(error).isConflict {
            throw OfferWriteError.codeTaken(d.code)
        }
        guard let offer = try await offerGet(id: id) else { throw StoreError.unavailable }
        return offer
    }

    /// One live offer, or nil.
    public func offerGet(id: UUID) async throws -> Offer? {
        let rows = try await query(
            """
            SELECT \(unescaped: OfferRow.columns) FROM offers o
            WHERE o.tenant_id = \(tenantID) AND o.id = \(id) AND o.deleted_at IS NULL
            """)
        for try await row in rows { return try OfferRow.offer(row) }
        return nil
    }

    /// A page of the tenant's live offers, oldest first.
    public func offerList(page: PageRequest) async throws -> Page<Offer> {
        let after = page.after ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        let rows = try await query(
            """
            SELECT \(unescaped: OfferRow.columns) FROM offers o
            WHERE o.tenant_id = \(tenantID) AND o.deleted_at IS NULL AND o.id > \(after)
            ORDER BY o.id LIMIT \(page.limit + 1)
            """)
        var offers: [Offer] = []
        for try await row in rows { offers.append(try OfferRow.offer(row)) }
        return Page(fetched: offers, request: page, id: \.id)
    }

    /// The live offers among `ids` (every live offer when `ids` is nil, at most `limit`), in
    /// id order: what arbitration weighs. Their counters are as committed when read; giving
    /// one (``offersGive(_:)``) checks them again under its lock.
    public func offersLive(ids: [UUID]? = nil, limit: Int = 1000) async throws -> [Offer] {
        let rows: PostgresRowSequence
        if let ids {
            rows = try await query(
                """
                SELECT \(unescaped: OfferRow.columns) FROM offers o
                WHERE o.tenant_id = \(tenantID) AND o.id = ANY(\(ids)::uuid[]) AND o.deleted_at IS NULL ORDER BY o.id LIMIT \(limit)
                """)
        } else {
            rows = try await query(
                """
                SELECT \(unescaped: OfferRow.columns) FROM offers o
                WHERE o.tenant_id = \(tenantID) AND o.deleted_at IS NULL ORDER BY o.id LIMIT \(limit)
                """)
        }
        var offers: [Offer] = []
        for try await row in rows { offers.append(try OfferRow.offer(row)) }
        return offers
    }

    /// Replaces a live offer's definition; nil when there is no such offer.
    public func offerUpdate(id: UUID, _ definition: OfferDefinition, eligibilityRule: RuleExpression?) async throws -> Offer? {
        let d = definition
        let rows: PostgresRowSequence
        do {
            rows = try await query(
                """
                UPDATE offers SET code = \(d.code), name = \(d.name), description = \(d.description),
                    eligibility_text = \(d.eligibility), eligibility = \(try OfferRow.ruleJSON(eligibilityRule))::jsonb,
                    starts_at = \(d.startsAt), ends_at = \(d.endsAt), priority = \(Int32(d.priority)), value = \(d.value),
                    currency = \(d.currency), per_customer_limit = \(d.perCustomerLimit.map(Int32.init)),
                    total_cap = \(d.totalCap.map(Int32.init)), weight = \(d.weight),
                    creative = \(try OfferRow.creativeJSON(d.creative))::jsonb, updated_at = now()
                WHERE tenant_id = \(tenantID) AND id = \(id) AND deleted_at IS NULL
                RETURNING id
                """)
            var updated = false
            for try await _ in rows { updated = true }
            guard updated else { return nil }
        } catch let error as PSQLError where StoreError(error).isConflict {
            throw OfferWriteError.codeTaken(d.code)
        }
        return try await offerGet(id: id)
    }

    /// Deletes a live offer (it stays for the grants and messages that name it, and its code
    /// may be used again). False when there is no such offer.
    public func offerDelete(id: UUID) async throws -> Bool {
        let rows = try await query(
            """
            UPDATE offers SET deleted_at = now(), updated_at = now()
            WHERE tenant_id = \(tenantID) AND id = \(id) AND deleted_at IS NULL RETURNING id
            """)
        var deleted = false
        for try await _ in rows { deleted = true }
        return deleted
    }
}
