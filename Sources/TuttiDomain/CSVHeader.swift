import Foundation

/// What the header row of an imported CSV says each column holds.
///
/// - A column named after an identity type (`email`, `phone`, `external_id`, `anonymous_id`,
///   `x`, `facebook`, `instagram`, `mastodon`, `apns`, `fcm`, `other:NAME`; case-insensitive)
///   holds identities.
/// - `attribute.NAME` holds the attribute `NAME`; any other name holds the attribute of that
///   name (so `first_name` and `attribute.first_name` are the same column, and
///   `attribute.email` is an attribute called `email`).
///
/// Cells are text; an empty cell is skipped (it neither removes an attribute nor names an
/// identity). Every row must have as many fields as the header.
public struct CSVHeader: Sendable, Equatable {
    public enum Column: Sendable, Hashable {
        case identity(IdentityType)
        case attribute(String)
    }

    /// The header's names, as written (trimmed).
    public let names: [String]
    public let columns: [Column]

    /// Reads a header row found on `line`; throws every problem with it at once.
    public init(fields: [String], line: Int) throws(ImportHeaderError) {
        var errors: [ImportRowError] = []
        var columns: [Column] = []
        var seen: [Column: String] = [:]
        let names = fields.map { $0.trimmingCharacters(in: .whitespaces) }
        for name in names {
            let column: Column
            let lowered = name.lowercased()
            if let type = IdentityType(lowered) {
                column = .identity(type)
            } else if lowered.hasPrefix("other:") {
                errors.append(ImportRowError(line: line, field: name, message: "is not an identity type (other:NAME takes lower-case letters, digits, _ and -, at most 32)"))
                continue
            } else {
                let key = name.hasPrefix("attribute.") ? String(name.dropFirst("attribute.".count)) : name
                guard (1...128).contains(key.count), !key.containsControlCharacter else {
                    errors.append(ImportRowError(line: line, field: name.isEmpty ? "column \(columns.count + errors.count + 1)" : name,
                                                 message: "is not a usable column name (1 to 128 characters)"))
                    continue
                }
                column = .attribute(key)
            }
            if let earlier = seen[column] {
                errors.append(ImportRowError(line: line, field: name, message: "repeats the column \(earlier)"))
            }
            seen[column] = name
            columns.append(column)
        }
        if errors.isEmpty, !columns.contains(where: { if case .identity = $0 { true } else { false } }) {
            errors.append(ImportRowError(
                line: line, field: nil,
                message: "The header names no identity column (email, phone, external_id, anonymous_id, … or other:NAME)."))
        }
        guard errors.isEmpty else { throw ImportHeaderError(errors) }
        self.names = names
        self.columns = columns
    }

    /// Checks one record against the header: its identities normalized, its attributes
    /// validated; every error found is reported against the row's line.
    public func item(line: Int, fields: [String], defaultCountry: String?) -> ImportItem {
        guard fields.count == columns.count else {
            return .invalid([ImportRowError(line: line, field: nil, message: "has \(fields.count) fields; the header has \(columns.count)")])
        }
        var errors: [ImportRowError] = []
        var identities: [Identity] = []
        var identityFields: [Identity: String] = [:]
        var attributes: [String: JSONValue] = [:]
        var attributeColumns: [String: String] = [:]
        for (index, cell) in fields.enumerated() where !cell.isEmpty {
            switch columns[index] {
            case .identity(let type):
                do throws(ValidationError) {
                    let identity = try Identity(type: type, value: cell, defaultCountry: defaultCountry, field: names[index])
                    identities.append(identity)
                    if identityFields[identity] == nil { identityFields[identity] = names[index] }
                } catch {
                    errors.append(ImportRowError(line: line, field: error.field, message: error.message))
                }
            case .attribute(let key):
                guard !cell.utf8.contains(0) else {
                    errors.append(ImportRowError(line: line, field: names[index], message: "contains a NUL character"))
                    continue
                }
                attributes[key] = .string(cell)
                attributeColumns[key] = names[index]
            }
        }
        do throws(ValidationErrors) {
            attributes = try CustomerAttributes.validate(attributes)
        } catch {
            for failure in error.errors {
                let key = failure.field.hasPrefix("attributes.") ? String(failure.field.dropFirst("attributes.".count)) : failure.field
                errors.append(ImportRowError(line: line, field: attributeColumns[key] ?? failure.field, message: failure.message))
            }
        }
        if identities.isEmpty, errors.isEmpty {
            errors.append(ImportRowError(line: line, field: nil, message: "has no identity (every identity cell is empty)"))
        }
        guard errors.isEmpty else { return .invalid(errors) }
        return .row(ImportRow(line: line, identities: identities, attributes: attributes, fields: identityFields))
    }
}
