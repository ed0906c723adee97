import Foundation
import HTTPTypes

/// An RFC 9457 problem: the body of every error response Tutti sends, as
/// `application/problem+json`.
///
/// `type` is a stable URN per kind of problem (`urn:tutti:problem:<slug>`) that clients may
/// switch on; `title` is the same for every problem of that type; `detail` is for people.
public struct Problem: Error, Sendable, Equatable {
    /// One offending field or position, for validation errors.
    public struct FieldError: Sendable, Equatable, Codable {
        public var field: String?
        public var line: Int?
        public var column: Int?
        public var message: String

        public init(field: String? = nil, line: Int? = nil, column: Int? = nil, message: String) {
            self.field = field
            self.line = line
            self.column = column
            self.message = message
        }
    }

    public var status: HTTPResponse.Status
    public var slug: String
    public var title: String
    public var detail: String?
    public var errors: [FieldError]
    /// Extra response headers, such as `Allow` on 405 or `WWW-Authenticate` on 401.
    public var headers: HTTPFields

    public init(
        _ status: HTTPResponse.Status, slug: String, title: String, detail: String? = nil,
        errors: [FieldError] = [], headers: HTTPFields = [:]
    ) {
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    public var type: String { "urn:tutti:problem:\(slug)" }
}

extension Problem {
    public static func notFound(_ detail: String = "No resource at this path.") -> Problem {
        Problem(.notFound, slug: "not-found", title: "Not Found", detail: detail)
    }

    public static func methodNotAllowed(allowed: [String]) -> Problem {
        var headers = HTTPFields()
        headers[.allow] = allowed.joined(separator: ", ")
        return Problem(
            .methodNotAllowed, slug: "method-not-allowed", title: "Method Not Allowed",
            detail: "This path accepts \(allowed.joined(separator: ", ")).", headers: headers)
    }

    public static func badRequest(_ detail: String, slug: String = "bad-request") -> Problem {
        Problem(.badRequest, slug: slug, title: "Bad Request", detail: detail)
    }

    public static func validation(_ errors: [FieldError], detail: String = "The request has invalid values.") -> Problem {
        Problem(.unprocessableContent, slug: "validation", title: "Validation Failed", detail: detail, errors: errors)
    }

    public static func unauthorized(_ detail: String) -> Problem {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = "Bearer realm=\"tutti\""
        return Problem(.unauthorized, slug: "unauthorized", title: "Unauthorized", detail: detail, headers: headers)
    }

    public static func forbidden(_ detail: String) -> Problem {
        Problem(.forbidden, slug: "forbidden", title: "Forbidden", detail: detail)
    }

    public static func contentTooLarge(limit: Int) -> Problem {
        Problem(.contentTooLarge, slug: "content-too-large", title: "Content Too Large",
                detail: "The request body is larger than the limit of \(limit) bytes.")
    }

    public static func unsupportedMediaType(_ detail: String = "Send the body as application/json.") -> Problem {
        Problem(.unsupportedMediaType, slug: "unsupported-media-type", title: "Unsupported Media Type", detail: detail)
    }

    public static func conflict(_ detail: String, slug: String = "conflict") -> Problem {
        Problem(.conflict, slug: slug, title: "Conflict", detail: detail)
    }

    public static func serviceUnavailable(_ detail: String) -> Problem {
        Problem(.serviceUnavailable, slug: "unavailable", title: "Service Unavailable", detail: detail)
    }

    public static let internalError = Problem(
        .internalServerError, slug: "internal", title: "Internal Server Error",
        detail: "Something went wrong on our side; the request id identifies it in our logs.")
}
