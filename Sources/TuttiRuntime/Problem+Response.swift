import Foundation
import HTTPTypes
import Hummingbird

extension Problem {
    /// The media type of every error body.
    public static let mediaType = "application/problem+json"

    private struct Body: Encodable {
        var type: String
        var title: String
        var status: Int
        var detail: String?
        var instance: String
        var request_id: String?
        var errors: [FieldError]?
    }

    /// The response for this problem, answering the request at `path` with id `requestID`.
    public func response(path: String, requestID: String?) -> Response {
        let body = Body(
            type: type, title: title, status: Int(status.code), detail: detail, instance: path,
            request_id: requestID, errors: errors.isEmpty ? nil : errors)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(body)) ?? Data("{\"title\":\"Internal Server Error\",\"status\":500}".utf8)
        var fields = headers
        fields[.contentType] = Self.mediaType
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
