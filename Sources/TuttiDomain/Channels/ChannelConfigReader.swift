import Foundation

/// Reads a channel's `config` object field by field, collecting every problem instead of
/// stopping at the first, so that a client learns all it must fix from one 422.
///
/// Field names in errors are prefixed with `config.`, as the client wrote them.
public struct ChannelConfigReader: Sendable {
    private let fields: [String: JSONValue]
    private var read: Set<String> = []
    /// Every problem found so far.
    public private(set) var errors: [ValidationError] = []

    /// Reads `fields`, the members of the `config` object.
    public init(_ fields: [String: JSONValue]) {
        self.fields = fields
    }

    /// Records a problem with field `name`.
    public mutating func fail(_ name: String, _ message: String) {
        errors.append(ValidationError(field: "config.\(name)", message: message))
    }

    /// A string field; nil (with an error when `required`) when missing, null or empty.
    public mutating func string(_ name: String, required: Bool = false, maxLength: Int = 2048, multiline: Bool = false) -> String?
    {
        read.insert(name)
        switch fields[name] {
        case nil, .null?:
            if required { fail(name, "is required") }
            return nil
        case .string(let value)?:
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty {
                if required { fail(name, "must not be empty") }
                return nil
            }
            if trimmed.count > maxLength { fail(name, "must be at most \(maxLength) characters") }
            let allowed: Set<UInt32> = multiline ? [0x09, 0x0a, 0x0d] : []
            if trimmed.unicodeScalars.contains(where: { ($0.value < 0x20 && !allowed.contains($0.value)) || $0.value == 0x7f }) {
                fail(name, "must not contain control characters")
            }
            return trimmed
        default:
            fail(name, "must be a string")
            return nil
        }
    }

    /// An array of non-empty strings (each at most `maxLength`, at most `maxCount` of them);
    /// empty when missing or null.
    public mutating func strings(_ name: String, maxCount: Int, maxLength: Int) -> [String] {
        read.insert(name)
        switch fields[name] {
        case nil, .null?:
            return []
        case .array(let values)?:
            if values.count > maxCount { fail(name, "must have at most \(maxCount) entries") }
            var strings: [String] = []
            for value in values {
                guard case .string(let text) = value, !text.isEmpty, text.count <= maxLength,
                    !text.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7f })
                else {
                    fail(name, "must be an array of strings without spaces, each at most \(maxLength) characters")
                    return []
                }
                strings.append(text)
            }
            return strings
        default:
            fail(name, "must be an array of strings")
            return []
        }
    }

    /// An absolute http or https URL (https only when `httpsOnly`), without a trailing slash.
    public mutating func url(_ name: String, required: Bool = false, default fallback: String? = nil) -> String? {
        guard let text = string(name, required: required && fallback == nil) else { return fallback }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
            components.user == nil, components.password == nil
        else {
            fail(name, "must be an absolute http or https URL without credentials")
            return nil
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    /// A whole number in `range`, or `fallback` when absent.
    public mutating func integer(_ name: String, default fallback: Int?, in range: ClosedRange<Int>) -> Int? {
        read.insert(name)
        switch fields[name] {
        case nil, .null?: return fallback
        case .number(let value)? where value.rounded() == value && range.contains(Int(exactly: value) ?? Int.min):
            return Int(value)
        default:
            fail(name, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            return fallback
        }
    }

    /// One of `choices`, or `fallback` when absent.
    public mutating func choice(_ name: String, _ choices: [String], default fallback: String) -> String {
        guard let text = string(name) else { return fallback }
        guard choices.contains(text) else {
            fail(name, "must be one of \(choices.joined(separator: ", "))")
            return fallback
        }
        return text
    }

    /// PEM certificates (`-----BEGIN CERTIFICATE-----` blocks), or nil.
    public mutating func pem(_ name: String) -> String? {
        guard let text = string(name, maxLength: 65536, multiline: true) else { return nil }
        guard text.contains("-----BEGIN CERTIFICATE-----"), text.contains("-----END CERTIFICATE-----") else {
            fail(name, "must be one or more PEM certificates (-----BEGIN CERTIFICATE-----)")
            return nil
        }
        return text + "\n"
    }

    /// An e-mail address, normalised.
    public mutating func email(_ name: String, required: Bool = false) -> String? {
        guard let text = string(name, required: required) else { return nil }
        do throws(ValidationError) {
            return try EmailAddress.normalize(text, field: "config.\(name)")
        } catch {
            errors.append(error)
            return nil
        }
    }

    /// Records an error for every field that no read asked for: a misspelt field would
    /// otherwise be dropped silently and its setting never take effect.
    public mutating func rejectUnknownFields(of type: ChannelType) {
        for name in fields.keys.sorted() where !read.contains(name) {
            fail(name, "is not a setting of \(type.rawValue) channels")
        }
    }
}
