import Foundation

/// How a chunk of import rows is written, given who owns their identities today.
///
/// Most rows of a large import either name nobody yet (new customers, inserted in bulk) or
/// name exactly one customer (updated in bulk). Rows that would merge customers, and rows
/// that share an identity or a customer with another row of the chunk (whose order then
/// matters), are written one by one, in line order, by the general create-or-merge path.
public struct ImportPlan: Sendable, Equatable {
    /// Rows whose identities nobody holds: each becomes a new customer.
    public var creates: [ImportRow] = []
    /// Rows whose known identities all belong to one customer, which no other row names.
    public var updates: [ImportRowUpdate] = []
    /// Rows to write one at a time, in line order.
    public var individually: [ImportRow] = []

    public init(rows: [ImportRow], owners: [Identity: UUID]) {
        var identityUses: [Identity: Int] = [:]
        var customerUses: [UUID: Int] = [:]
        for row in rows {
            for identity in row.identities { identityUses[identity, default: 0] += 1 }
            for customer in Set(row.identities.compactMap { owners[$0] }) { customerUses[customer, default: 0] += 1 }
        }
        for row in rows {
            let customers = Set(row.identities.compactMap { owners[$0] })
            if row.identities.contains(where: { identityUses[$0]! > 1 }) || customers.contains(where: { customerUses[$0]! > 1 }) {
                individually.append(row)
            } else if customers.isEmpty {
                creates.append(row)
            } else if customers.count == 1, let customer = customers.first {
                updates.append(ImportRowUpdate(row: row, customerID: customer, newIdentities: row.identities.filter { owners[$0] == nil }))
            } else {
                individually.append(row)
            }
        }
        individually.sort { $0.line < $1.line }
    }
}

/// A row that updates the one customer its known identities belong to.
public struct ImportRowUpdate: Sendable, Equatable {
    public var row: ImportRow
    public var customerID: UUID
    /// The row's identities nobody holds yet, to add to the customer.
    public var newIdentities: [Identity]

    public init(row: ImportRow, customerID: UUID, newIdentities: [Identity]) {
        self.row = row
        self.customerID = customerID
        self.newIdentities = newIdentities
    }
}
