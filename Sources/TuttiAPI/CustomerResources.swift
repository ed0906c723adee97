import Foundation
import HTTPTypes
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// A customer as the API shows it.
struct CustomerResource: Encodable, Sendable {
    struct IdentityJSON: Encodable, Sendable {
        var type: String
        var value: String
        var source: String?
        var createdAt: Date

        enum CodingKeys: String, CodingKey {
            case type, value, source
            case createdAt = "created_at"
        }
    }

    var id: String
    var identities: [IdentityJSON]
    var attributes: [String: JSONValue]
    var createdAt: Date
    var updatedAt: Date
    var mergedIDs: [String]
    var merges: [MergeResource]?

    enum CodingKeys: String, CodingKey {
        case id, identities, attributes, merges
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case mergedIDs = "merged_ids"
    }

    init(_ customer: Customer, merges: [CustomerMergeRecord]? = nil) {
        id = customer.id.lowercasedText
        identities = customer.identities.map {
            IdentityJSON(type: $0.identity.type.description, value: $0.identity.value, source: $0.source, createdAt: $0.createdAt)
        }
        attributes = customer.attributes
        createdAt = customer.createdAt
        updatedAt = customer.updatedAt
        mergedIDs = customer.mergedIDs.map(\.lowercasedText).sorted()
        self.merges = merges.map { $0.map(MergeResource.init) }
    }
}

/// A merge as the API shows it.
struct MergeResource: Encodable, Sendable {
    var id: String
    var survivorID: String
    var mergedID: String
    var requestID: String?
    var createdAt: Date
    var undoneAt: Date?

    enum CodingKeys: String, CodingKey {
        case id
        case survivorID = "survivor_id"
        case mergedID = "merged_id"
        case requestID = "request_id"
        case createdAt = "created_at"
        case undoneAt = "undone_at"
    }

    init(_ merge: CustomerMergeRecord) {
        id = merge.id.lowercasedText
        survivorID = merge.survivorID.lowercasedText
        mergedID = merge.mergedID.lowercasedText
        requestID = merge.requestID
        createdAt = merge.createdAt
        undoneAt = merge.undoneAt
    }
}

/// One timeline entry as the API shows it.
struct TimelineEntryResource: Encodable, Sendable {
    var kind: String
    var id: String
    var at: String
    var title: String
    var channel: String?
    var detail: [String: JSONValue]

    init(_ entry: TimelineEntry) {
        kind = entry.kind.rawValue
        id = entry.id.lowercasedText
        at = ISO8601.format(entry.at)
        title = entry.title
        channel = entry.channel
        detail = entry.detail
    }
}

/// A consent state as the API shows it.
struct ConsentResource: Encodable, Sendable {
    var channel: String
    var topic: String?
    var status: String
    var source: String?
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case channel, topic, status, source
        case updatedAt = "updated_at"
    }

    init(_ state: ConsentState) {
        channel = state.channel.rawValue
        topic = state.topic.isEmpty ? nil : state.topic
        status = state.status.rawValue
        source = state.source
        updatedAt = state.updatedAt
    }
}

/// The identities in a request body: `[{"type": "email", "value": "ann@example.com"}]`.
struct IdentityInput: Decodable, Sendable {
    var type: String
    var value: String
}

extension [IdentityInput] {
    /// Normalized identities, or a 422 naming each bad one as `field[i].type|value`.
    func normalized(defaultCountry: String?, field: String = "identities") throws -> [Identity] {
        var identities: [Identity] = []
        var errors: [Problem.FieldError] = []
        for (index, input) in enumerated() {
            guard let type = IdentityType(input.type) else {
                errors.append(.init(field: "\(field)[\(index)].type", message: "must be one of \(IdentityType.builtIn.map(\.description).joined(separator: ", ")) or other:NAME"))
                continue
            }
            do throws(ValidationError) {
                identities.append(try Identity(type: type, value: input.value, defaultCountry: defaultCountry, field: "\(field)[\(index)].value"))
            } catch {
                errors.append(.init(field: error.field, message: error.message))
            }
        }
        guard errors.isEmpty else { throw Problem.validation(errors) }
        return identities
    }
}

extension ValidationErrors {
    var problem: Problem { .validation(errors.map { .init(field: $0.field, message: $0.message) }) }
}

extension CustomerWriteError {
    var problem: Problem {
        switch self {
        case .customerNotFound:
            .notFound("No customer with this id.")
        case .erasedIdentity(let identity):
            Problem(.unprocessableContent, slug: "identity-erased", title: "Identity Erased",
                    detail: "The \(identity.type) identity was erased at the customer's request and may not be added again.")
        }
    }
}

extension MergeUndoError {
    var problem: Problem {
        switch self {
        case .notFound: .notFound("No such merge for this customer.")
        case .alreadyUndone: .conflict("This merge was already undone.", slug: "merge-already-undone")
        case .superseded: .conflict("The merged customer has changed since (merged again or erased); undo the later merge first.", slug: "merge-superseded")
        }
    }
}
