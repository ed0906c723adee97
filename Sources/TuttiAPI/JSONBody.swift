import Foundation
import Hummingbird
import NIOCore
import Logging
import TuttiDomain
import TuttiRuntime

extension Request {
    /// Reads the body as JSON of type `T`, answering every way it can be wrong with a problem:
    /// 415 for another content type, 413 beyond `limit` bytes, 400 for text that is not JSON
    /// (or not UTF-8), 422 for JSON of the wrong shape, naming the field.
    ///
    /// `nonNull` names the top-level members that must not be `null`: the decoder reads a
    /// `null` as absent for an optional, where the OpenAPI document says a value or nothing.
    public func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int, nonNull: Set<String> = []) async throws -> T {
        let buffer = try await collectJSONBody(limit: limit)
        let value: T
        do {
            value = try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw Self.problem(for: error)
        }
        if !nonNull.isEmpty, case .object(let members)? = try? JSONScanner.parse(buffer.readableBytesView) {
            let nulls = members.filter { $0.value == .null && nonNull.contains($0.key) }.keys.sorted()
            guard nulls.isEmpty else { throw Problem.validation(nulls.map { .init(field: $0, message: "must not be null") }) }
        }
        return value
    }

    /// The body of a JSON request, refused with a problem when it cannot be JSON: 415 for
    /// another content type, 413 beyond `limit` bytes, 400 when it is not UTF-8 (JSONDecoder
    /// would report bad UTF-8 inside a string as a type mismatch of that field, a 422).
    public func collectJSONBody(limit: Int) async throws -> ByteBuffer {
        guard let contentType = headers[.contentType], Self.isJSON(contentType) else {
            throw Problem.unsupportedMediaType("Send the body as application/json (Content-Type was \(headers[.contentType].map { "\"\($0)\"" } ?? "missing")).")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Problem.contentTooLarge(limit: limit)
        } catch is NIOTooManyBytesError {
            throw Problem.contentTooLarge(limit: limit)
        }
        guard String(validating: buffer.readableBytesView, as: UTF8.self) != nil else {
            throw Problem.badRequest("The body is not valid UTF-8.", slug: "malformed-json")
        }
        return buffer
    }

    static func isJSON(_ contentType: String) -> Bool {
        let mediaType = contentType.split(separator: ";", maxSplits: 1)[0]
            .trimmingCharacters(in: .whitespaces).lowercased()
        return mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
    }

    static func problem(for error: DecodingError) -> Problem {
        func field(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return .badRequest("The body is not valid JSON.", slug: "malformed-json")
        case .dataCorrupted(let context):
            return .validation([.init(field: field(context.codingPath), message: "has an invalid value")])
        case .keyNotFound(let key, let context):
            return .validation([.init(field: field(context.codingPath + [key]), message: "is required")])
        case .typeMismatch(let expected, let context):
            return .validation([.init(field: field(context.codingPath), message: "must be \(jsonName(expected))")])
        case .valueNotFound(let expected, let context):
            return .validation([.init(field: field(context.codingPath), message: "must be \(jsonName(expected)), not null")])
        @unknown default:
            return .badRequest("The body could not be read.", slug: "malformed-json")
        }
    }

    private static func jsonName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }
}

extension ValidationError {
    /// The 422 problem for a domain rule a value broke.
    public var problem: Problem { .validation([.init(field: field, message: message)]) }
}
