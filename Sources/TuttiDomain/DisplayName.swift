import Foundation

/// The rules every human-chosen name (tenants, keys, later segments and campaigns) follows:
/// trimmed, not empty, at most 200 characters, no control characters.
public enum DisplayName {
    public static let maximumLength = 200

    /// The trimmed name, or a validation error naming `field`.
    public static func validate(_ raw: String, field: String = "name") throws(ValidationError) -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw ValidationError(field: field, message: "must not be empty") }
        guard name.count <= maximumLength else {
            throw ValidationError(field: field, message: "must be at most \(maximumLength) characters")
        }
        guard !name.containsControlCharacter else {
            throw ValidationError(field: field, message: "must not contain control characters")
        }
        return name
    }
}
