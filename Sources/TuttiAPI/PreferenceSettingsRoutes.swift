import Foundation
import Hummingbird
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// `GET/PUT /v1/preference-centre`: the hosted preference centre's tenant settings, its
/// links' lifetime and its brand colour (docs/closed-loop.md, "Preference centre").
enum PreferenceSettingsRoutes {
    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        let database = dependencies.database

        group.get("/preference-centre") { _, context -> Response in
            let principal = try context.require(.read)
            let settings = try await database.withTenant(principal.tenantID, logger: context.logger) {
                try await $0.preferenceSettingsGet()
            }
            return try JSONResponse.make(.ok, PreferenceSettingsResource(settings))
        }

        group.put("/preference-centre") { request, context -> Response in
            let principal = try context.require(.administer)
            let json = try await OfferInput.json(request, limit: dependencies.maxBodyBytes)
            let settings = try parse(json)
            let stored = try await database.withTenant(principal.tenantID, logger: context.logger) {
                try await $0.preferenceSettingsPut(settings)
            }
            return try JSONResponse.make(.ok, PreferenceSettingsResource(stored))
        }
    }

    /// `{"link_lifetime_days": 1…365, "brand_colour": "#rrggbb" | null}`; both required.
    static func parse(_ json: JSONValue) throws -> PreferenceSettings {
        guard case .object(let fields) = json else { throw Problem.validation([.init(message: "must be a JSON object")]) }
        var errors: [Problem.FieldError] = []
        for key in fields.keys.sorted() where key != "link_lifetime_days" && key != "brand_colour" {
            errors.append(.init(field: key, message: "is not a member; the settings are link_lifetime_days and brand_colour"))
        }
        var days: Int?
        if case .number(let value)? = fields["link_lifetime_days"], value == value.rounded(), (1...365).contains(value) {
            days = Int(value)
        } else {
            errors.append(.init(field: "link_lifetime_days", message: "is required: a whole number of days from 1 to 365"))
        }
        var colour: String?
        switch fields["brand_colour"] {
        case nil:
            errors.append(.init(field: "brand_colour", message: "is required: a colour as #rrggbb, or null for the default"))
        case .null?: break
        case .string(let text)? where text.range(of: "^#[0-9a-fA-F]{6}$", options: .regularExpression) != nil:
            colour = text.lowercased()
        default:
            errors.append(.init(field: "brand_colour", message: "must be a colour as #rrggbb, or null"))
        }
        guard errors.isEmpty, let days else { throw Problem.validation(errors) }
        return PreferenceSettings(linkDays: days, brandColour: colour)
    }
}

/// The preference centre's settings as the API shows them.
struct PreferenceSettingsResource: Encodable, Sendable {
    var linkLifetimeDays: Int
    var brandColour: String?

    init(_ settings: PreferenceSettings) {
        linkLifetimeDays = settings.linkDays
        brandColour = settings.brandColour
    }

    enum CodingKeys: String, CodingKey {
        case linkLifetimeDays = "link_lifetime_days"
        case brandColour = "brand_colour"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(linkLifetimeDays, forKey: .linkLifetimeDays)
        try container.encode(brandColour, forKey: .brandColour)
    }
}
