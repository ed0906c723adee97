extension ChannelConfiguration {
    /// The settings as a client may see them: every secret replaced by
    /// `{"set": true, "last4": "…"}`, enough to recognise which credential is configured.
    public var maskedFields: [String: JSONValue] {
        var fields = publicFields
        for (name, value) in secrets {
            fields[name] = Self.mask(value)
        }
        return fields
    }

    /// The mask of one secret. Four characters only when the secret is long enough that they
    /// give nothing useful away.
    public static func mask(_ secret: String) -> JSONValue {
        var mask: [String: JSONValue] = ["set": .bool(true)]
        if secret.count >= 16 { mask["last4"] = .string(String(secret.suffix(4))) }
        return .object(mask)
    }

    /// A `PATCH` of `config`: the given fields replace the current ones, a field set to null
    /// is removed, and a secret sent back as its mask (as a client that read the channel
    /// would) keeps the current secret.
    public func patched(with changes: [String: JSONValue]) throws(ChannelConfigurationError) -> ChannelConfiguration {
        var fields = publicFields
        let current = secrets
        for (name, value) in current { fields[name] = .string(value) }
        for (name, value) in changes {
            if case .object(let object) = value, object["set"] == .bool(true), current[name] != nil {
                continue
            }
            fields[name] = value == .null ? nil : value
        }
        return try ChannelConfiguration(type: type, fields: fields)
    }
}
