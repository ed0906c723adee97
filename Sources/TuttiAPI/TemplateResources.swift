import Foundation
import TuttiDomain

/// A template at one version as the API shows it: its definition in the form it is written
/// (`name`, `parts`, `conditions`, `locales`, `default_locale`) beside its id, version and
/// times; after a save, the warnings and SMS estimates of ``TemplateReview``.
struct TemplateResource: Encodable, Sendable {
    var stored: StoredTemplate
    var review: TemplateReview?

    enum CodingKeys: String, CodingKey {
        case id, version, warnings, sms
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case versionCreatedAt = "version_created_at"
        case deletedAt = "deleted_at"
    }

    func encode(to encoder: any Encoder) throws {
        try stored.template.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(stored.id.lowercasedText, forKey: .id)
        try container.encode(stored.version, forKey: .version)
        try container.encode(stored.createdAt, forKey: .createdAt)
        try container.encode(stored.updatedAt, forKey: .updatedAt)
        try container.encode(stored.versionCreatedAt, forKey: .versionCreatedAt)
        try container.encodeIfPresent(stored.deletedAt, forKey: .deletedAt)
        if let review {
            try container.encode(review.warnings.map(TemplateWarningResource.init), forKey: .warnings)
            try container.encode(review.sms.map(SMSEstimateResource.init), forKey: .sms)
        }
    }
}

/// A warning: where (part, and line and column inside a string) and what.
struct TemplateWarningResource: Encodable, Sendable {
    var part: String
    var line: Int?
    var column: Int?
    var message: String

    init(_ warning: TemplateWarning) {
        part = warning.part
        line = warning.line
        column = warning.column
        message = warning.message
    }
}

/// An SMS part's fixed text: its encoding and segment count.
struct SMSEstimateResource: Encodable, Sendable {
    var locale: String
    var encoding: String
    var segments: Int

    init(_ estimate: SMSEstimate) {
        locale = estimate.locale
        encoding = estimate.segments.encoding.rawValue
        segments = estimate.segments.count
    }
}

/// One entry of `GET /v1/templates/{id}/versions`.
struct TemplateVersionResource: Encodable, Sendable {
    var version: Int
    var name: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case version, name
        case createdAt = "created_at"
    }
}
