import Foundation
import TuttiDomain

/// JSON request bodies built from ``JSONValue`` trees: keys sorted so the same delivery
/// always produces the same bytes (a retried webhook carries an identical, identically
/// signed body), slashes unescaped for readability.
enum JSONBody {
    static func encode(_ value: JSONValue) -> [UInt8] {
        value.sortedJSONBytes
    }

    /// Decodes a gateway's JSON answer, nil when it is not JSON.
    static func decode(_ body: [UInt8]) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(body))
    }
}

extension JSONValue {
    /// A string member of an object, or nil.
    subscript(member name: String) -> String? {
        objectValue?[name]?.stringValue
    }
}
