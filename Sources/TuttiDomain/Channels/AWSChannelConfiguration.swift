/// Amazon credentials and endpoint shared by the SES and SNS channel types.
public struct AWSChannelConfiguration: Sendable, Hashable {
    /// e.g. `eu-west-1`.
    public var region: String
    public var accessKeyID: String
    /// Secret.
    public var secretAccessKey: String
    /// The service endpoint. Default `https://email.REGION.amazonaws.com` for SES,
    /// `https://sns.REGION.amazonaws.com` for SNS; set it for a local stand-in such as moto.
    public var endpoint: String

    public static let secretFields = ["secret_access_key"]

    init(reading reader: inout ChannelConfigReader, service: String) {
        region = reader.string("region", required: true, maxLength: 32) ?? ""
        if !region.isEmpty && !region.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) {
            reader.fail("region", "must be an AWS region such as eu-west-1")
        }
        accessKeyID = reader.string("access_key_id", required: true, maxLength: 128) ?? ""
        secretAccessKey = reader.string("secret_access_key", required: true, maxLength: 256) ?? ""
        endpoint = reader.url("endpoint", default: "https://\(service).\(region).amazonaws.com") ?? ""
    }

    var publicFields: [String: JSONValue] {
        ["region": .string(region), "access_key_id": .string(accessKeyID), "endpoint": .string(endpoint)]
    }

    var secrets: [String: String] { ["secret_access_key": secretAccessKey] }
}

/// Amazon SES v2: credentials and the verified sender.
public struct SESChannelConfiguration: Sendable, Hashable {
    public var aws: AWSChannelConfiguration
    /// A verified identity (address or an address at a verified domain).
    public var fromAddress: String
    public var fromName: String?
    /// An SES configuration set for event publishing, or nil.
    public var configurationSet: String?
    /// An address for `List-Unsubscribe: <mailto:…>` when a delivery carries no link of its own.
    public var unsubscribeMailto: String?
    /// The SNS topics whose SES event notifications the channel's SNS callback accepts
    /// (`/v1/callbacks/{id}/sns`); a message from any other topic is refused. Empty: none.
    public var snsTopicARNs: [String]

    public static let secretFields = AWSChannelConfiguration.secretFields

    init(reading reader: inout ChannelConfigReader) {
        aws = AWSChannelConfiguration(reading: &reader, service: "email")
        fromAddress = reader.email("from_address", required: true) ?? ""
        fromName = reader.string("from_name", maxLength: 200)
        configurationSet = reader.string("configuration_set", maxLength: 64)
        unsubscribeMailto = reader.email("unsubscribe_mailto")
        snsTopicARNs = reader.strings("sns_topic_arns", maxCount: 20, maxLength: 256)
        // arn:PARTITION:sns:REGION:ACCOUNT:TOPIC, as SNS writes TopicArn.
        for arn in snsTopicARNs {
            let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
            if parts.count != 6 || parts[0] != "arn" || parts[2] != "sns" || parts.contains(where: \.isEmpty) {
                reader.fail("sns_topic_arns", "must be SNS topic ARNs such as arn:aws:sns:eu-west-1:123456789012:ses-events")
                break
            }
        }
    }

    var publicFields: [String: JSONValue] {
        var fields = aws.publicFields
        fields["from_address"] = .string(fromAddress)
        fields["from_name"] = fromName.map(JSONValue.string)
        fields["configuration_set"] = configurationSet.map(JSONValue.string)
        fields["unsubscribe_mailto"] = unsubscribeMailto.map(JSONValue.string)
        fields["sns_topic_arns"] = .array(snsTopicARNs.map(JSONValue.string))
        return fields
    }
}

/// Amazon SNS SMS: credentials and how messages are typed.
public struct SNSChannelConfiguration: Sendable, Hashable {
    public var aws: AWSChannelConfiguration
    /// `Transactional` (higher delivery priority) or `Promotional`. Default Transactional.
    public var smsType: String
    /// An alphanumeric sender id where the destination country supports one, or nil.
    public var senderID: String?

    public static let secretFields = AWSChannelConfiguration.secretFields

    init(reading reader: inout ChannelConfigReader) {
        aws = AWSChannelConfiguration(reading: &reader, service: "sns")
        smsType = reader.choice("sms_type", ["Transactional", "Promotional"], default: "Transactional")
        senderID = reader.string("sender_id", maxLength: 11)
    }

    var publicFields: [String: JSONValue] {
        var fields = aws.publicFields
        fields["sms_type"] = .string(smsType)
        fields["sender_id"] = senderID.map(JSONValue.string)
        return fields
    }
}
