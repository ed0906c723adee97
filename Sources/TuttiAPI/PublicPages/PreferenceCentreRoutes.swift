import Crypto
import Foundation
import Hummingbird
import TuttiDomain
import TuttiRuntime
import TuttiStore

/// `GET/POST /p/{token}`: the hosted preference centre (docs/closed-loop.md, "Preference
/// centre"). The token is signed and expires after the tenant's `link_lifetime_days`; the
/// form carries a CSRF token derived from it (``LinkToken/formToken(for:key:)``), so a page
/// elsewhere cannot post a customer's choices. Changes go into the consent ledger with the
/// page as their source (`preference_centre`) and the request's user agent.
enum PreferenceCentreRoutes {
    static let bodyLimit = 64 * 1024
    /// Recorded as the ledger's `wording_version` with the page's language.
    static let wordingVersion = "preference-centre/1"

    static func add(to router: some RouterMethods<APIRequestContext>, dependencies: APIDependencies) {
        let database = dependencies.database
        let keys = dependencies.linkKeys

        router.get("/p/:token") { _, context -> Response in
            let token = context.parameters.get("token") ?? ""
            guard let tenant = LinkToken.claimedTenant(token) else { return PublicPage.invalid() }
            return try await PublicPage.guarded {
                try await database.withTenant(tenant, logger: context.logger) { session -> Response in
                    guard let (key, view) = try await open(token, session: session, keys: keys) else {
                        return PublicPage.invalid()
                    }
                    return page(view, token: token, key: key, saved: false)
                }
            }
        }

        router.post("/p/:token") { request, context -> Response in
            let token = context.parameters.get("token") ?? ""
            guard let tenant = LinkToken.claimedTenant(token) else { return PublicPage.invalid() }
            guard let body = try? await request.body.collect(upTo: bodyLimit) else { return PublicPage.badRequest() }
            let form = FormBody.pairs(String(buffer: body))
            let fields = Set(form.filter { $0.value == "on" }.map(\.name))
            let csrf = form.first { $0.name == "csrf" }?.value ?? ""
            let userAgent = request.headers[.userAgent].map { String($0.prefix(500)) }
            return try await PublicPage.guarded {
                try await database.withTenant(tenant, logger: context.logger) { session -> Response in
                    guard let (key, view) = try await open(token, session: session, keys: keys) else {
                        return PublicPage.invalid()
                    }
                    let text = PublicPageText.forLocale(view.locale)
                    guard LinkToken.formTokenMatches(csrf, for: token, key: key) else {
                        return PublicPage.response(
                            .forbidden, data: ["title": .string(text.invalidTitle), "message": .string(text.badRequestText)],
                            text: text,
                            colour: view.brandColour)
                    }
                    for change in changes(view, ticked: fields) {
                        var change = change
                        change.userAgent = userAgent
                        change.wordingVersion = "\(wordingVersion)/\(text.language)"
                        _ = try await session.consentSet(customerID: view.customerID, change)
                    }
                    guard let saved = try await session.preferenceView(customerID: view.customerID) else {
                        return PublicPage.invalid()
                    }
                    return page(saved, token: token, key: key, saved: true)
                }
            }
        }
    }

    /// The key and the customer's view when `token` is a live preference token of this tenant.
    private static func open(_ token: String, session: TenantSession, keys: LinkKeyCache) async throws -> (
        SymmetricKey, PreferenceView
    )? {
        guard try await session.tenantGet() != nil else { return nil }
        let key = try await keys.key(session: session)
        guard case .preferences(_, let customer, let expires)? = LinkToken.verify(token, key: key) else { return nil }
        let now = try await session.databaseNow()
        guard expires.timeIntervalSince1970 * 1000 > Double(now.millisecondsSinceEpoch),
            let view = try await session.preferenceView(customerID: customer)
        else { return nil }
        return (key, view)
    }

    /// The consent changes a submitted form asks for: only what differs from what the page
    /// showed, so saving an untouched page records nothing. "Unsubscribe from everything"
    /// opts every shown channel out as a whole and leaves the topics as they are.
    static func changes(_ view: PreferenceView, ticked: Set<String>) -> [ConsentChange] {
        var changes: [ConsentChange] = []
        func set(_ channel: ConsentChannel, topic: String, subscribed: Bool) {
            guard subscribed != view.isSubscribed(channel, topic: topic) else { return }
            changes.append(
                ConsentChange(
                    channel: channel, topic: topic, status: subscribed ? .optedIn : .optedOut, source: "preference_centre"))
        }
        if ticked.contains("everything") {
            for channel in view.channels { set(channel, topic: "", subscribed: false) }
            return changes
        }
        for channel in view.channels { set(channel, topic: "", subscribed: ticked.contains("channel.\(channel.rawValue)")) }
        for topic in view.topics where !topic.definition.mandatory {
            for channel in topic.definition.channels where view.channels.contains(channel) {
                set(
                    channel, topic: topic.definition.key,
                    subscribed: ticked.contains("topic.\(topic.definition.key).\(channel.rawValue)"))
            }
        }
        return changes
    }

    private static func page(_ view: PreferenceView, token: String, key: SymmetricKey, saved: Bool) -> Response {
        let text = PublicPageText.forLocale(view.locale)
        let channels: [JSONValue] = view.channels.map { channel in
            .object([
                "id": .string("channel-\(channel.rawValue)"), "name": .string("channel.\(channel.rawValue)"),
                "label": .string(text.channelNames[channel.rawValue] ?? channel.rawValue),
                "checked": .bool(view.isSubscribed(channel)),
            ])
        }
        let topics: [JSONValue] = view.topics.compactMap { topic in
            let shown = topic.definition.channels.filter { view.channels.contains($0) }
            guard !shown.isEmpty else { return nil }
            let key = topic.definition.key
            let choices: [JSONValue] = shown.map { channel in
                .object([
                    "id": .string("topic-\(key)-\(channel.rawValue)"), "field": .string("topic.\(key).\(channel.rawValue)"),
                    "label": .string(text.channelNames[channel.rawValue] ?? channel.rawValue),
                    "checked": .bool(topic.definition.mandatory || view.isSubscribed(channel, topic: key)),
                    "mandatory": .bool(topic.definition.mandatory),
                ])
            }
            return .object([
                "key": .string("topic-\(key)"), "name": .string(topic.definition.name),
                "description": topic.definition.description.isEmpty ? .bool(false) : .string(topic.definition.description),
                "choices": .array(choices),
            ])
        }
        var data: [String: JSONValue] = [
            "title": .string(text.preferencesTitle), "tenant": .string(view.tenantName), "required": .string(text.required),
            "form": .object([
                "action": .string(token), "csrf": .string(LinkToken.formToken(for: token, key: key)),
                "intro": .string(text.intro),
                "has_channels": .bool(!channels.isEmpty), "channels": .array(channels),
                "channels_legend": .string(text.channelsLegend),
                "topics": .array(topics), "everything": .string(text.everything), "everything_hint": .string(text.everythingHint),
                "save": .string(text.save),
            ]),
        ]
        if saved { data["confirmation"] = .string(text.saved) }
        return PublicPage.response(.ok, data: data, text: text, colour: view.brandColour)
    }
}
