import Foundation
import Hummingbird
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// `GET/POST /u/{token}`: the unsubscribe link of every marketing message, and its RFC 8058
/// one-click target (docs/closed-loop.md, "Unsubscribe"). The signed token is the only
/// credential: no API key, no cookie.
///
/// - `POST` with the form body `List-Unsubscribe=One-Click` opts the customer out of the
///   message's topic (or the channel's marketing as a whole) at once and answers 200 with a
///   short page, never a redirect (RFC 8058 §3.2).
/// - `GET` changes nothing: it shows a page with the same one-click button and a link to the
///   preference centre (mail scanners fetch links; a GET must not unsubscribe).
/// - a malformed, forged or another tenant's token is a 404 page, a POST without the one-click
///   body a 400 page; never a 500.
enum UnsubscribeRoutes {
    /// The largest body a one-click POST may have (providers send a few dozen bytes).
    static let bodyLimit = 16 * 1024

    static func add(to router: some RouterMethods<APIRequestContext>, dependencies: APIDependencies) {
        let database = dependencies.database
        let keys = dependencies.linkKeys

        router.get("/u/:token") { _, context -> Response in
            let token = context.parameters.get("token") ?? ""
            guard let tenant = LinkToken.claimedTenant(token) else { return PublicPage.invalid() }
            return try await PublicPage.guarded {
                try await database.withTenant(tenant, logger: context.logger) { session -> Response in
                    guard try await session.tenantGet() != nil,
                        case .unsubscribe(_, let customer, _, _)? = LinkToken.verify(
                            token, key: try await keys.key(session: session)),
                        let view = try await session.preferenceView(customerID: customer)
                    else { return PublicPage.invalid() }
                    let text = PublicPageText.forLocale(view.locale)
                    let settings = try await session.preferenceSettingsGet()
                    let now = Date(timeIntervalSince1970: Double(try await session.databaseNow().millisecondsSinceEpoch) / 1000)
                    let preferences = LinkToken.preferences(
                        tenantID: tenant, customerID: view.customerID,
                        expires: now.addingTimeInterval(Double(settings.linkDays) * 86400)
                    ).signed(with: try await keys.key(session: session))
                    return PublicPage.response(
                        .ok,
                        data: [
                            "title": .string(text.confirmTitle), "tenant": .string(view.tenantName),
                            "message": .string(text.confirmText),
                            // Relative, so the page works under any TUTTI_PUBLIC_URL path.
                            "confirm": .object(["action": .string(token), "button": .string(text.confirmButton)]),
                            "preferences_link": .string("../p/\(preferences)"),
                            "preferences_label": .string(text.managePreferences),
                        ], text: text, colour: view.brandColour)
                }
            }
        }

        router.post("/u/:token") { request, context -> Response in
            let token = context.parameters.get("token") ?? ""
            guard let tenant = LinkToken.claimedTenant(token) else { return PublicPage.invalid() }
            guard let body = try? await request.body.collect(upTo: bodyLimit),
                FormBody.isOneClick(String(buffer: body), contentType: request.headers[.contentType])
            else { return PublicPage.badRequest() }
            let userAgent = request.headers[.userAgent].map { String($0.prefix(500)) }
            return try await PublicPage.guarded {
                try await database.withTenant(tenant, logger: context.logger) { session -> Response in
                    guard try await session.tenantGet() != nil,
                        case .unsubscribe(_, let customer, let message, let topic)? = LinkToken.verify(
                            token, key: try await keys.key(session: session)),
                        let outcome = try await session.unsubscribeOneClick(
                            customerID: customer, messageID: message, topic: topic, ip: nil, userAgent: userAgent),
                        let view = try await session.preferenceView(customerID: outcome.customerID)
                    else { return PublicPage.invalid() }
                    let text = PublicPageText.forLocale(view.locale)
                    return PublicPage.response(
                        .ok,
                        data: [
                            "title": .string(text.unsubscribedTitle), "tenant": .string(view.tenantName),
                            "confirmation": .string(outcome.topic.isEmpty ? text.unsubscribedAll : text.unsubscribedTopic),
                        ], text: text, colour: view.brandColour)
                }
            }
        }
    }
}
