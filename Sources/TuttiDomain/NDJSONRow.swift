/// One line of an NDJSON import:
/// `{"identities": [{"type": "email", "value": "ann@example.com"}], "attributes": {"first_name": "Ann"}}`.
///
/// `identities` is required (at least one); `attributes` is optional (`null` removes a key).
/// An identity's value may be a string or a whole number (external ids often are). Other
/// members are refused, so that a misspelt `attribute` is not silently ignored.
public enum NDJSONRow {
    /// Checks one line's bytes; every error found is reported against `line`.
    public static func item(line: Int, bytes: some Collection<UInt8>, defaultCountry: String?) -> ImportItem {
        let json: JSONValue
        do throws(JSONScanner.Failure) {
            json = try JSONScanner.parse(bytes)
        } catch {
            return .invalid([ImportRowError(line: line, field: nil, message: "is not valid JSON: it \(error.message) (byte \(error.offset + 1))")])
        }
        guard case .object(let object) = json else {
            return .invalid([ImportRowError(line: line, field: nil, message: "must be a JSON object with identities and attributes")])
        }
        var errors: [ImportRowError] = []
        for key in object.keys.sorted() where key != "identities" && key != "attributes" {
            errors.append(ImportRowError(line: line, field: key, message: "is not a member of an import row (identities, attributes)"))
        }
        var identities: [Identity] = []
        var fields: [Identity: String] = [:]
        if case .array(let inputs)? = object["identities"], !inputs.isEmpty {
            for (index, input) in inputs.enumerated() {
                let field = "identities[\(index)]"
                switch identity(input, field: field, defaultCountry: defaultCountry) {
                case .success(let identity):
                    identities.append(identity)
                    if fields[identity] == nil { fields[identity] = field }
                case .failure(let error):
                    errors.append(ImportRowError(line: line, field: error.field, message: error.message))
                }
            }
        } else {
            errors.append(ImportRowError(line: line, field: "identities", message: "must be an array of at least one {\"type\", \"value\"}"))
        }
        var attributes: [String: JSONValue] = [:]
        switch object["attributes"] {
        case nil, .null?:
            break
        case .object(let members)?:
            if JSONValue.object(members).containsNUL {
                errors.append(ImportRowError(line: line, field: "attributes", message: "contains a NUL character"))
            } else {
                do throws(ValidationErrors) {
                    attributes = try CustomerAttributes.validate(members)
                } catch {
                    errors += error.errors.map { ImportRowError(line: line, field: $0.field, message: $0.message) }
                }
            }
        default:
            errors.append(ImportRowError(line: line, field: "attributes", message: "must be an object"))
        }
        guard errors.isEmpty else { return .invalid(errors) }
        return .row(ImportRow(line: line, identities: identities, attributes: attributes, fields: fields))
    }

    private static func identity(_ input: JSONValue, field: String, defaultCountry: String?) -> Result<Identity, ValidationError> {
        guard case .object(let members) = input else { return .failure(ValidationError(field: field, message: "must be an object {\"type\", \"value\"}")) }
        guard let typeText = members["type"]?.stringValue, let type = IdentityType(typeText) else {
            return .failure(ValidationError(
                field: "\(field).type", message: "must be one of \(IdentityType.builtIn.map(\.description).joined(separator: ", ")) or other:NAME"))
        }
        let value: String
        switch members["value"] {
        case .string(let text)?: value = text
        case .number(let number)? where number.rounded() == number && abs(number) < 1e15: value = String(Int64(number))
        default: return .failure(ValidationError(field: "\(field).value", message: "must be a string"))
        }
        do throws(ValidationError) {
            return .success(try Identity(type: type, value: value, defaultCountry: defaultCountry, field: "\(field).value"))
        } catch {
            return .failure(error)
        }
    }
}
