/// An account on a Mastodon-compatible server that sends direct messages.
public struct MastodonChannelConfiguration: Sendable, Hashable {
    /// The server, e.g. `https://mastodon.social`.
    public var baseURL: String
    /// An access token with the `write:statuses` scope. Secret.
    public var accessToken: String
    /// `direct` (only the mentioned recipient sees it) or `private`. Default direct.
    public var visibility: String

    public static let secretFields = ["access_token"]

    init(reading reader: inout ChannelConfigReader) {
        baseURL = reader.url("base_url", required: true) ?? ""
        accessToken = reader.string("access_token", required: true, maxLength: 512) ?? ""
        visibility = reader.choice("visibility", ["direct", "private"], default: "direct")
    }

    var publicFields: [String: JSONValue] {
        ["base_url": .string(baseURL), "visibility": .string(visibility)]
    }

    var secrets: [String: String] { ["access_token": accessToken] }
}
