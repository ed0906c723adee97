/// An HTTP request method such as `GET` or `POST`.
///
/// A struct rather than an enum so that a connector can use a method this
/// file does not list (`HTTPMethod(rawValue: "PROPFIND")`).
public struct HTTPMethod: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The method token as sent on the request line, e.g. `"GET"`.
    public var rawValue: String

    /// Creates a method from its token; the token is sent as given (case matters).
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// `GET`.
    public static let get = HTTPMethod(rawValue: "GET")
    /// `HEAD`: the response carries no body.
    public static let head = HTTPMethod(rawValue: "HEAD")
    /// `POST`.
    public static let post = HTTPMethod(rawValue: "POST")
    /// `PUT`.
    public static let put = HTTPMethod(rawValue: "PUT")
    /// `PATCH`.
    public static let patch = HTTPMethod(rawValue: "PATCH")
    /// `DELETE`.
    public static let delete = HTTPMethod(rawValue: "DELETE")

    /// The method token.
    public var description: String { rawValue }

    /// Whether the token is a valid RFC 9110 token, so it cannot smuggle
    /// spaces or line breaks onto the request line.
    var isValidToken: Bool {
        !rawValue.isEmpty && rawValue.utf8.allSatisfy(HTTPHeaders.isTokenByte)
    }
}
