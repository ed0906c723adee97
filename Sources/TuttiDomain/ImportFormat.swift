import Foundation

/// The two shapes a bulk import can take, chosen by the request's `Content-Type`.
public enum ImportFormat: String, Sendable, CaseIterable {
    /// One JSON object per line:
    /// `{"identities": [{"type": "email", "value": "ann@example.com"}], "attributes": {…}}`.
    case ndjson
    /// RFC 4180 comma-separated values whose header row names identity and attribute columns
    /// (see ``CSVHeader``).
    case csv

    /// The format a `Content-Type` names, or nil for any other media type or a charset other
    /// than UTF-8 (or its subset US-ASCII).
    public init?(contentType: String) {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let mediaType = parts.first else { return nil }
        for parameter in parts.dropFirst() where parameter.hasPrefix("charset=") {
            let charset = parameter.dropFirst("charset=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            guard charset == "utf-8" || charset == "utf8" || charset == "us-ascii" else { return nil }
        }
        switch mediaType {
        case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines": self = .ndjson
        case "text/csv": self = .csv
        default: return nil
        }
    }

    /// The media type this format is answered as in documents and messages.
    public var mediaType: String {
        switch self {
        case .ndjson: "application/x-ndjson"
        case .csv: "text/csv"
        }
    }
}
