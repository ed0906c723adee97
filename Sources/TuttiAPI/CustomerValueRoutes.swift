import Foundation
import Hummingbird
import Logging
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// The customer value metric: the tenant's settings and model (`GET/PATCH /v1/customer-value`),
/// a full recomputation on demand (`POST /v1/customer-value/recompute`; the scheduler also runs
/// one on a schedule), and one customer's value (`GET /v1/customers/{id}/value`).
enum CustomerValueRoutes {
    struct UpdateSettingsRequest: Decodable {
        var eventName: String?
        var revenueProperty: String?

        enum CodingKeys: String, CodingKey {
            case eventName = "event_name"
            case revenueProperty = "revenue_property"
        }
    }

    static func add(to group: RouterGroup<APIRequestContext>, dependencies: APIDependencies) {
        let database = dependencies.database

        group.get("/customer-value") { _, context -> Response in
            let principal = try context.require(.read)
            let (settings, model) = try await database.withTenant(principal.tenantID, logger: context.logger) { session in
                (try await session.customerValueSettings(), try await session.customerValueModel())
            }
            return try JSONResponse.make(.ok, CustomerValueSettingsResource(settings: settings, model: model))
        }

        group.patch("/customer-value") { request, context -> Response in
            let principal = try context.require(.administer)
            let body = try await request.decodeJSON(
                UpdateSettingsRequest.self, limit: dependencies.maxBodyBytes, nonNull: ["event_name", "revenue_property"])
            for (field, value) in [("event_name", body.eventName), ("revenue_property", body.revenueProperty)] {
                if let value, value.isEmpty || value.count > 200 {
                    throw ValidationError(field: field, message: "must be 1 to 200 characters").problem
                }
            }
            let (settings, model) = try await database.withTenant(principal.tenantID, logger: context.logger) { session in
                try await session.customerValueSettingsUpdate(eventName: body.eventName, revenueProperty: body.revenueProperty)
                return (try await session.customerValueSettings(), try await session.customerValueModel())
            }
            return try JSONResponse.make(.ok, CustomerValueSettingsResource(settings: settings, model: model))
        }

        group.post("/customer-value/recompute") { _, context -> Response in
            let principal = try context.require(.administer)
            let (settings, model) = try await database.withTenant(principal.tenantID, logger: context.logger) { session in
                _ = try await session.customerValueRecompute()
                return (try await session.customerValueSettings(), try await session.customerValueModel())
            }
            return try JSONResponse.make(.ok, CustomerValueSettingsResource(settings: settings, model: model))
        }

        group.get("/customers/:id/value") { _, context -> Response in
            let principal = try context.require(.read)
            let id = try context.uuidParameter("id")
            let value = try await database.withTenant(principal.tenantID, logger: context.logger) { session -> CustomerValue? in
                guard let live = try await session.customerResolve(id: id) else { throw Problem.notFound("No customer with this id.") }
                return try await session.customerValue(customerID: live) ?? CustomerValue()
            }
            return try JSONResponse.make(.ok, CustomerValueResource(value ?? CustomerValue()))
        }
    }
}

/// One customer's value metric as the API shows it.
struct CustomerValueResource: Encodable {
    var lifetimeRevenue: Double
    var orderCount: Int
    var averageOrderValue: Double?
    var firstPurchase: Date?
    var lastPurchase: Date?
    var rfm: RFM
    var predicted12m: Double?

    struct RFM: Encodable {
        var recency: Int?
        var frequency: Int?
        var monetary: Int?
    }

    enum CodingKeys: String, CodingKey {
        case lifetimeRevenue = "lifetime_revenue", orderCount = "order_count", averageOrderValue = "average_order_value"
        case firstPurchase = "first_purchase", lastPurchase = "last_purchase", rfm, predicted12m = "predicted_12m"
    }

    init(_ value: CustomerValue) {
        lifetimeRevenue = value.lifetimeRevenue
        orderCount = value.orderCount
        averageOrderValue = value.averageOrderValue
        firstPurchase = value.firstPurchase?.date
        lastPurchase = value.lastPurchase?.date
        rfm = RFM(recency: value.rfmRecency, frequency: value.rfmFrequency, monetary: value.rfmMonetary)
        predicted12m = value.predicted12Months
    }
}

/// The tenant's customer value settings and fitted model.
struct CustomerValueSettingsResource: Encodable {
    var eventName: String
    var revenueProperty: String
    var model: Model?

    struct Model: Encodable {
        var name: String?
        var buyers: Int
        var fittedAt: Date
        var bgnbd: BGNBDModel?
        var gammaGamma: GammaGammaModel?
        var rfmBounds: [String: [Double]]

        enum CodingKeys: String, CodingKey {
            case name, buyers, fittedAt = "fitted_at", bgnbd, gammaGamma = "gamma_gamma", rfmBounds = "rfm_bounds"
        }
    }

    enum CodingKeys: String, CodingKey {
        case eventName = "event_name", revenueProperty = "revenue_property", model
    }

    init(settings: CustomerValueSettings, model: CustomerValueModelRecord?) {
        eventName = settings.eventName
        revenueProperty = settings.revenueProperty
        self.model = model.map {
            Model(
                name: $0.model == nil ? nil : CustomerValueModel.name, buyers: $0.buyers, fittedAt: $0.fittedAt,
                bgnbd: $0.model?.purchases, gammaGamma: $0.model?.spend,
                rfmBounds: ["recency": $0.recencyBounds, "frequency": $0.frequencyBounds, "monetary": $0.monetaryBounds])
        }
    }
}
