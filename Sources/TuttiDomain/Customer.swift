import Foundation

/// A person as Tutti knows them: one id, many identities, attributes, and the ids of the
/// customers merged into them (which keep resolving here).
public struct Customer: Sendable, Equatable {
    public var id: UUID
    public var identities: [IdentityRecord]
    public var attributes: [String: JSONValue]
    public var createdAt: Date
    public var updatedAt: Date
    /// Customers merged into this one (and not unmerged), directly or through others.
    public var mergedIDs: [UUID]

    public init(id: UUID, identities: [IdentityRecord], attributes: [String: JSONValue], createdAt: Date, updatedAt: Date, mergedIDs: [UUID]) {
        self.id = id
        self.identities = identities
        self.attributes = attributes
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.mergedIDs = mergedIDs
    }
}

/// An identity as held by a customer, with where it came from.
public struct IdentityRecord: Sendable, Equatable {
    public var identity: Identity
    public var source: String?
    public var createdAt: Date

    public init(identity: Identity, source: String?, createdAt: Date) {
        self.identity = identity
        self.source = source
        self.createdAt = createdAt
    }
}

/// A write that creates or updates the customer its identities point to, merging customers
/// when the identities belong to more than one.
public struct CustomerWrite: Sendable {
    public var identities: [Identity]
    /// Attribute changes; `null` removes a key.
    public var attributes: [String: JSONValue]
    /// Where the data came from (`api`, `segment`, `import:<id>`, …), kept with new identities.
    public var source: String?
    /// When set, the write must land on this customer (or the one it was merged into).
    public var customerID: UUID?

    public init(identities: [Identity], attributes: [String: JSONValue] = [:], source: String? = nil, customerID: UUID? = nil) {
        self.identities = identities
        self.attributes = attributes
        self.source = source
        self.customerID = customerID
    }
}

/// What a ``CustomerWrite`` did.
public struct CustomerWriteResult: Sendable, Equatable {
    public var customerID: UUID
    public var created: Bool
    /// Merges this write caused, as (merge id, merged-away customer id).
    public var merges: [CustomerMergeRecord]

    public init(customerID: UUID, created: Bool, merges: [CustomerMergeRecord]) {
        self.customerID = customerID
        self.created = created
        self.merges = merges
    }
}

/// One merge: `mergedID` became part of `survivorID`.
public struct CustomerMergeRecord: Sendable, Equatable {
    public var id: UUID
    public var survivorID: UUID
    public var mergedID: UUID
    public var requestID: String?
    public var createdAt: Date
    public var undoneAt: Date?

    public init(id: UUID, survivorID: UUID, mergedID: UUID, requestID: String?, createdAt: Date, undoneAt: Date?) {
        self.id = id
        self.survivorID = survivorID
        self.mergedID = mergedID
        self.requestID = requestID
        self.createdAt = createdAt
        self.undoneAt = undoneAt
    }
}
