import HTTPTypes
import Hummingbird
import Synchronization

/// The routes a router serves, so that a miss can be told apart: a path no route has is a
/// 404, a path served only for other methods is a 405 with an `Allow` header.
public final class RouteTable: Sendable {
    private let routes = Mutex<[(segments: [Substring], method: String)]>([])

    public init() {}

    /// Records the router's routes; call after every route is added.
    public func record(_ descriptions: [(path: String, method: String)]) {
        let parsed = descriptions.map { (segments: Self.segments($0.path), method: $0.method) }
        routes.withLock { $0 = parsed }
    }

    /// The methods served at `path`, sorted; empty when no route matches the path. Where a
    /// literal segment and a parameter both match (`/v1/offers/arbitrate` and
    /// `/v1/offers/{id}`), the router takes the literal, so only the most literal patterns count.
    public func allowedMethods(for path: String) -> [String] {
        let requested = Self.segments(path)
        let matching = routes.withLock { routes in routes.filter { Self.matches(pattern: $0.segments, requested) } }
        guard let best = matching.map({ Self.literals($0.segments) }).max(by: Self.lessLiteral) else { return [] }
        let methods = matching.filter { Self.literals($0.segments) == best }.map(\.method)
        return Array(Set(methods)).sorted()
    }

    /// Which segments of a pattern are literal, in order.
    private static func literals(_ pattern: [Substring]) -> [Bool] {
        pattern.map { !($0.hasPrefix(":") || $0.hasPrefix("{") || $0 == "*") }
    }

    /// Whether `a` is less literal than `b`: at the first segment where they differ, `a` has a parameter.
    private static func lessLiteral(_ a: [Bool], _ b: [Bool]) -> Bool {
        for (x, y) in zip(a, b) where x != y { return !x }
        return false
    }

    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    private static func matches(pattern: [Substring], _ path: [Substring]) -> Bool {
        guard pattern.count == path.count else { return false }
        return zip(pattern, path).allSatisfy { pattern, segment in
            pattern.hasPrefix(":") || pattern.hasPrefix("{") || pattern == "*" || pattern == segment
        }
    }
}
