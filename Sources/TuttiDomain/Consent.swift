/// The channels a customer gives or withholds consent for.
public enum ConsentChannel: String, Sendable, Codable, CaseIterable {
    case email, sms, push, social, phone, mail, web
}

/// Where a customer stands on a channel or topic. `pending` is an e-mail opt-in awaiting its
/// double opt-in confirmation; it does not permit marketing.
public enum ConsentStatus: String, Sendable, Codable, CaseIterable {
    case optedIn = "opted_in"
    case optedOut = "opted_out"
    case unknown
    case pending
}

/// Why an identity must not be contacted, whatever its consent.
public enum SuppressionReason: String, Sendable, Codable, CaseIterable {
    case hardBounce = "hard_bounce"
    case complaint
    case stop
    case manual
}

/// A tenant-defined consent topic (`newsletter`, `offers`, …): lower-case letters, digits,
/// `_` and `-`, up to 64 characters.
public enum ConsentTopic {
    public static func validate(_ raw: String?, field: String = "topic") throws(ValidationError) -> String {
        guard let raw, !raw.isEmpty else { return "" }
        guard raw.count <= 64, raw.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_" || $0 == "-") }) else {
            throw ValidationError(field: field, message: "must be lower-case letters, digits, _ or -, at most 64")
        }
        return raw
    }
}
