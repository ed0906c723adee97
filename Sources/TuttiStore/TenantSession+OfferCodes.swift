import Foundation
import PostgresNIO
import TuttiDomain

/// What adding codes to a pool did.
public struct OfferCodesAdded: Sendable, Equatable {
    /// Codes new to the pool, added.
    public var added: Int
    /// Codes the pool already had, left as they were.
    public var alreadyInPool: [String]
}

extension TenantSession {
    /// Codes are inserted this many at a time (one statement each).
    static let offerCodeChunk = 5_000

    /// Adds `codes` (distinct) to the pool of a live offer, in order; codes already in the pool
    /// are reported, not added again. Nil when there is no such offer. Locks the offer's row,
    /// as giving does, so the pool's counters never miss a code.
    public func offerCodesAdd(offerID: UUID, codes: [String]) async throws -> OfferCodesAdded? {
        guard try await offerLock(id: offerID) else { return nil }
        var added = Set<String>()
        for start in stride(from: 0, to: codes.count, by: Self.offerCodeChunk) {
            let chunk = Array(codes[start..<min(start + Self.offerCodeChunk, codes.count)])
            let rows = try await query(
                """
                INSERT INTO offer_codes (tenant_id, offer_id, code)
                SELECT \(tenantID), \(offerID), u.code FROM unnest(\(chunk)::text[]) WITH ORDINALITY AS u(code, n) ORDER BY u.n
                ON CONFLICT DO NOTHING RETURNING code
                """)
            for try await code in rows.decode(String.self) { added.insert(code) }
        }
        try await execute(
            """
            UPDATE offers SET codes_total = codes_total + \(Int64(added.count))
            WHERE tenant_id = \(tenantID) AND id = \(offerID)
            """)
        return OfferCodesAdded(added: added.count, alreadyInPool: codes.filter { !added.contains($0) })
    }

    /// Locks a live offer's row for the rest of the transaction; false when there is none.
    func offerLock(id: UUID) async throws -> Bool {
        let rows = try await query(
            "SELECT id FROM offers WHERE tenant_id = \(tenantID) AND id = \(id) AND deleted_at IS NULL FOR UPDATE")
        var found = false
        for try await _ in rows { found = true }
        return found
    }
}
