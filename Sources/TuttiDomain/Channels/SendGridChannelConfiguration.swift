/// A SendGrid API key and the verified sender.
public struct SendGridChannelConfiguration: Sendable, Hashable {
    /// `SG.…`, with the Mail Send permission. Secret.
    public var apiKey: String
    public var fromAddress: String
    public var fromName: String?
    /// An address for `List-Unsubscribe: <mailto:…>` when a delivery carries no link of its own.
    public var unsubscribeMailto: String?
    /// Default `https://api.sendgrid.com` (`https://api.eu.sendgrid.com` for EU subusers).
    public var baseURL: String

    public static let secretFields = ["api_key"]

    init(reading reader: inout ChannelConfigReader) {
        apiKey = reader.string("api_key", required: true, maxLength: 256) ?? ""
        fromAddress = reader.email("from_address", required: true) ?? ""
        fromName = reader.string("from_name", maxLength: 200)
        unsubscribeMailto = reader.email("unsubscribe_mailto")
        baseURL = reader.url("base_url", default: "https://api.sendgrid.com") ?? ""
    }

    var publicFields: [String: JSONValue] {
        var fields: [String: JSONValue] = ["from_address": .string(fromAddress), "base_url": .string(baseURL)]
        fields["from_name"] = fromName.map(JSONValue.string)
        fields["unsubscribe_mailto"] = unsubscribeMailto.map(JSONValue.string)
        return fields
    }

    var secrets: [String: String] { ["api_key": apiKey] }
}
