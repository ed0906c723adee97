/// An ordered list of HTTP header fields that may repeat (`set-cookie`).
///
/// Names are stored lower-cased: HTTP field names are case-insensitive,
/// HTTP/2 sends them lower-case anyway, and one spelling makes lookups and
/// tests simple. Values are kept exactly as given.
public struct HTTPHeaders: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// One header field.
    public struct Field: Sendable, Hashable {
        /// The lower-cased field name.
        public var name: String
        /// The field value, without surrounding whitespace.
        public var value: String

        /// Creates a field; the name is lower-cased.
        public init(name: String, value: String) {
            // Most names are written lower-case already; lowercased() would copy them anyway.
            self.name = name.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") } ? name.lowercased() : name
            self.value = value
        }

        /// Creates a field whose name the caller has already lower-cased.
        init(lowercasedName: String, value: String) {
            name = lowercasedName
            self.value = value
        }
    }

    private var fields: [Field]

    /// Creates an empty header list.
    public init() {
        fields = []
    }

    /// Creates a header list from name/value pairs, keeping their order and repeats.
    public init(_ pairs: [(name: String, value: String)]) {
        fields = pairs.map { Field(name: $0.name, value: $0.value) }
    }

    /// Creates a header list from a literal; a name may appear more than once.
    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { Field(name: $0.0, value: $0.1) }
    }

    /// The number of fields, counting repeats.
    public var count: Int { fields.count }

    /// Appends a field, keeping any existing field of the same name.
    public mutating func add(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Removes every field called `name` and appends one with `value`.
    public mutating func replaceOrAdd(name: String, value: String) {
        remove(name: name)
        add(name: name, value: value)
    }

    /// Removes every field called `name`.
    public mutating func remove(name: String) {
        let name = name.lowercased()
        fields.removeAll { $0.name == name }
    }

    /// The first value of the field called `name` (any case), or nil.
    public subscript(name: String) -> String? {
        let name = name.lowercased()
        return fields.first { $0.name == name }?.value
    }

    /// Every value of the field called `name` (any case), in order.
    public func values(for name: String) -> [String] {
        let name = name.lowercased()
        return fields.filter { $0.name == name }.map(\.value)
    }

    /// Whether a field called `name` (any case) is present.
    public func contains(_ name: String) -> Bool {
        self[name] != nil
    }

    /// Iterates over the fields in order.
    public func makeIterator() -> IndexingIterator<[Field]> {
        fields.makeIterator()
    }
}

extension HTTPHeaders {
    /// Whether `byte` may appear in an RFC 9110 token (field names, methods).
    static func isTokenByte(_ byte: UInt8) -> Bool {
        tokenBytes[Int(byte)]
    }

    /// ``isTokenByte(_:)`` for every byte, worked out once: it runs for each byte of each
    /// header name of each request.
    private static let tokenBytes: [Bool] = (0...255).map { value in
        let byte = UInt8(value)
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    /// Appends a field as is.
    mutating func append(_ field: Field) {
        fields.append(field)
    }

    /// Extends the value of the last field; for folded header lines.
    mutating func appendToLastValue(_ text: String) {
        guard !fields.isEmpty else { return }
        fields[fields.count - 1].value += text
    }

    /// The first field that would let a caller inject extra header lines or
    /// break the request, or nil when all fields are safe to send.
    var firstInvalidField: Field? {
        // Over each string's contiguous UTF-8, which is several times faster than its UTF8View;
        // every request of every delivery passes here.
        fields.first { field in
            var name = field.name
            var value = field.value
            return name.isEmpty
                || !name.withUTF8 { $0.allSatisfy(Self.isTokenByte) }
                || value.withUTF8 { $0.contains { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") || $0 == 0 } }
        }
    }
}
