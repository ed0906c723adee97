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
    /// The signed event webhook's verification key as SendGrid shows it (base64 of the DER
    /// public key, or PEM); the callback `/v1/callbacks/{id}/sendgrid` refuses every event
    /// while it is not set. Public, not a secret.
    public var eventWebhookPublicKey: String?

    public static let secretFields = ["api_key"]

    init(reading reader: inout ChannelConfigReader) {
        apiKey = reader.string("api_key", required: true, maxLength: 256) ?? ""
        fromAddress = reader.email("from_address", required: true) ?? ""
        fromName = reader.string("from_name", maxLength: 200)
        unsubscribeMailto = reader.email("unsubscribe_mailto")
        baseURL = reader.url("base_url", default: "https://api.sendgrid.com") ?? ""
        eventWebhookPublicKey = reader.string("event_webhook_public_key", maxLength: 4096, multiline: true)
        if let key = eventWebhookPublicKey, !key.contains("-----BEGIN PUBLIC KEY-----"),
            Base64URL.decodeStandard(key.filter { !$0.isWhitespace }) == nil
        {
            reader.fail("event_webhook_public_key", "must be the verification key as SendGrid shows it (base64, or PEM)")
        }
    }

    var publicFields: [String: JSONValue] {
        var fields: [String: JSONValue] = ["from_address": .string(fromAddress), "base_url": .string(baseURL)]
        fields["from_name"] = fromName.map(JSONValue.string)
        fields["unsubscribe_mailto"] = unsubscribeMailto.map(JSONValue.string)
        fields["event_webhook_public_key"] = eventWebhookPublicKey.map(JSONValue.string)
        return fields
    }

    var secrets: [String: String] { ["api_key": apiKey] }
}
