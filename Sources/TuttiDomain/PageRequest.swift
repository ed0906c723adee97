import Foundation

/// One page of a keyset-paginated list: how many rows, and after which id.
///
/// Cursors are opaque to clients (base64url of a versioned payload) so that the ordering key
/// can change later without breaking links clients have stored.
public struct PageRequest: Sendable, Equatable {
    public static let defaultLimit = 50
    public static let maximumLimit = 200

    public var limit: Int
    /// The last id of the previous page, or nil for the first page.
    public var after: UUID?

    public init(limit: Int = PageRequest.defaultLimit, after: UUID? = nil) {
        self.limit = limit
        self.after = after
    }

    /// Reads `limit` and `cursor` query parameters, refusing values a client could not have
    /// been given by us.
    public init(limit limitText: String?, cursor cursorText: String?) throws(ValidationError) {
        var limit = Self.defaultLimit
        if let limitText {
            guard let parsed = Int(limitText), (1...Self.maximumLimit).contains(parsed) else {
                throw ValidationError(field: "limit", message: "must be a whole number from 1 to \(Self.maximumLimit)")
            }
            limit = parsed
        }
        var after: UUID?
        if let cursorText, !cursorText.isEmpty {
            guard let id = PageCursor.decode(cursorText) else {
                throw ValidationError(field: "cursor", message: "is not a cursor this API returned")
            }
            after = id
        }
        self.init(limit: limit, after: after)
    }
}

/// Encodes and decodes the opaque `next_cursor` values.
public enum PageCursor {
    private static let version = "v1:"

    public static func encode(after id: UUID) -> String {
        Base64URL.encode(Array((version + id.uuidString.lowercased()).utf8))
    }

    public static func decode(_ cursor: String) -> UUID? {
        guard let data = Base64URL.decode(cursor), let text = String(data: data, encoding: .utf8),
            text.hasPrefix(version)
        else { return nil }
        return UUID(uuidString: String(text.dropFirst(version.count)))
    }
}

/// A page of results and the cursor for the next one, nil on the last page.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    /// Builds a page from up to `request.limit + 1` rows: the extra row, if present, only says
    /// that another page exists.
    public init(fetched rows: [Item], request: PageRequest, id: (Item) -> UUID) {
        if rows.count > request.limit {
            let items = Array(rows.prefix(request.limit))
            self.init(items: items, nextCursor: items.last.map { PageCursor.encode(after: id($0)) })
        } else {
            self.init(items: rows, nextCursor: nil)
        }
    }
}
