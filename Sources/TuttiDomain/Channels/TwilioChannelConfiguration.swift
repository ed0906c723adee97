/// A Twilio account and the sender its SMS come from.
public struct TwilioChannelConfiguration: Sendable, Hashable {
    /// `AC…`, also the Basic auth user.
    public var accountSID: String
    /// Secret.
    public var authToken: String
    /// The sending number (E.164) or alphanumeric sender; this or ``messagingServiceSID``.
    public var from: String?
    /// `MG…`: let a Messaging Service pick the sender.
    public var messagingServiceSID: String?
    /// Where Twilio posts delivery status updates, or nil.
    public var statusCallback: String?
    /// Default `https://api.twilio.com`; set it for a local stand-in.
    public var baseURL: String

    public static let secretFields = ["auth_token"]

    init(reading reader: inout ChannelConfigReader) {
        accountSID = reader.string("account_sid", required: true, maxLength: 64) ?? ""
        if !accountSID.isEmpty && !(accountSID.hasPrefix("AC") && accountSID.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            reader.fail("account_sid", "must be a Twilio account SID (AC followed by letters and digits)")
        }
        authToken = reader.string("auth_token", required: true, maxLength: 128) ?? ""
        from = reader.string("from", maxLength: 32)
        messagingServiceSID = reader.string("messaging_service_sid", maxLength: 64)
        if from == nil && messagingServiceSID == nil {
            reader.fail("from", "is required unless messaging_service_sid is set")
        }
        statusCallback = reader.url("status_callback")
        baseURL = reader.url("base_url", default: "https://api.twilio.com") ?? ""
    }

    var publicFields: [String: JSONValue] {
        var fields: [String: JSONValue] = ["account_sid": .string(accountSID), "base_url": .string(baseURL)]
        fields["from"] = from.map(JSONValue.string)
        fields["messaging_service_sid"] = messagingServiceSID.map(JSONValue.string)
        fields["status_callback"] = statusCallback.map(JSONValue.string)
        return fields
    }

    var secrets: [String: String] { ["auth_token": authToken] }
}
