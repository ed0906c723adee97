import Foundation
import HTTPTypes
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// The members of a `POST /v1/channels` or `PATCH /v1/channels/{id}` body, read by hand
/// from a JSON object because a PATCH must tell a member that is absent (keep) from one
/// that is null (clear). Every problem is collected, named by its field.
struct ChannelWriteBody {
    var type: ChannelType?
    var name: String?
    var config: [String: JSONValue]?
    /// Absent: nil; present: `.some(value or nil)`.
    var rateLimitPerSecond: Int??
    var secondaryChannelID: UUID??
    var errors: [Problem.FieldError] = []

    private static let members: Set<String> = ["type", "name", "config", "rate_limit_per_second", "secondary_channel_id"]

    init(_ object: [String: JSONValue]) {
        for key in object.keys.sorted() where !Self.members.contains(key) {
            errors.append(.init(field: key, message: "is not a member of a channel"))
        }
        if let value = object["type"] {
            if let text = value.stringValue, let type = ChannelType(rawValue: text) {
                self.type = type
            } else {
                errors.append(.init(field: "type", message: "must be one of \(ChannelType.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
        }
        if let value = object["name"] {
            do throws(ValidationError) {
                name = try DisplayName.validate(value.stringValue ?? "")
            } catch {
                errors.append(.init(field: "name", message: error.message))
            }
        }
        if let value = object["config"] {
            if let fields = value.objectValue { config = fields } else { errors.append(.init(field: "config", message: "must be an object")) }
        }
        if let value = object["rate_limit_per_second"] {
            switch value {
            case .null: rateLimitPerSecond = .some(nil)
            case .number(let number) where number.rounded() == number && (1...100_000).contains(number):
                rateLimitPerSecond = .some(Int(number))
            default: errors.append(.init(field: "rate_limit_per_second", message: "must be a whole number from 1 to 100000, or null"))
            }
        }
        if let value = object["secondary_channel_id"] {
            switch value {
            case .null: secondaryChannelID = .some(nil)
            case .string(let text) where UUID(uuidString: text) != nil: secondaryChannelID = .some(UUID(uuidString: text))
            default: errors.append(.init(field: "secondary_channel_id", message: "must be a channel id, or null"))
            }
        }
    }
}

/// The body of `POST /v1/channels/{id}/test`: whom to send to and, optionally, what.
struct ChannelTestBody: Decodable {
    var recipient: String?
    var content: MessageContent?
}

extension ChannelConfigurationError {
    /// The 422 problem naming every offending `config` field.
    var problem: Problem {
        .validation(errors.map { .init(field: $0.field, message: $0.message) }, detail: "The channel's config has invalid values.")
    }
}

extension ChannelWriteError {
    var problem: Problem {
        switch self {
        case .nameTaken(let name):
            Problem(.conflict, slug: "channel-name-taken", title: "Channel name taken", detail: "A channel named \"\(name)\" already exists.")
        case .invalidSecondary(let reason):
            .validation([.init(field: "secondary_channel_id", message: reason)])
        }
    }
}

extension ChannelSecretError {
    /// Credentials that do not open are an operator's problem (a key missing from
    /// TUTTI_CHANNEL_KEYS), not the client's: 503, and the detail says what to fix.
    var problem: Problem {
        Problem(.serviceUnavailable, slug: "channel-credentials-unreadable", title: "Channel credentials unreadable", detail: description + ".")
    }
}
