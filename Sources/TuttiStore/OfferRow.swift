import Foundation
import PostgresNIO
import TuttiDomain

/// The columns an ``Offer`` is read from, and how.
enum OfferRow {
    static let columns = """
        o.id, o.code, o.name, o.description, o.eligibility_text, o.eligibility::text, o.starts_at, o.ends_at, o.priority,
        o.value, o.currency, o.per_customer_limit, o.total_cap, o.weight, o.creative::text, o.given_count, o.codes_total,
        o.codes_assigned, o.created_at, o.updated_at
        """

    static func offer(_ row: PostgresRow) throws -> Offer {
        let cells = row.makeRandomAccess()
        let definition = OfferDefinition(
            code: try cells[1].decode(String.self), name: try cells[2].decode(String.self),
            description: try cells[3].decode(String?.self), eligibility: try cells[4].decode(String?.self),
            startsAt: try cells[6].decode(Date?.self), endsAt: try cells[7].decode(Date?.self),
            priority: Int(try cells[8].decode(Int32.self)), value: try cells[9].decode(Double?.self),
            currency: try cells[10].decode(String?.self), perCustomerLimit: try cells[11].decode(Int32?.self).map { Int($0) },
            totalCap: try cells[12].decode(Int32?.self).map { Int($0) }, weight: try cells[13].decode(Double.self),
            creative: creative(try cells[14].decode(String.self)))
        let rule = try cells[5].decode(String?.self).map { try JSONDecoder().decode(RuleExpression.self, from: Data($0.utf8)) }
        return Offer(
            id: try cells[0].decode(UUID.self), definition: definition, eligibilityRule: rule,
            given: Int(try cells[15].decode(Int64.self)), codesTotal: Int(try cells[16].decode(Int64.self)),
            codesAssigned: Int(try cells[17].decode(Int64.self)), createdAt: try cells[18].decode(Date.self),
            updatedAt: try cells[19].decode(Date.self))
    }

    static func creative(_ text: String) -> [String: [String: String]] {
        guard case .object(let channels)? = try? JSONScanner.parse(Array(text.utf8)) else { return [:] }
        return channels.compactMapValues { fields in
            fields.objectValue?.compactMapValues(\.stringValue)
        }
    }

    static func creativeJSON(_ creative: [String: [String: String]]) throws -> String {
        String(decoding: try JSONEncoder().encode(creative), as: UTF8.self)
    }

    static func ruleJSON(_ rule: RuleExpression?) throws -> String? {
        try rule.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
    }
}
