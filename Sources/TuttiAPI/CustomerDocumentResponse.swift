import Hummingbird
import NIOCore

/// Responses around a customer document that PostgreSQL built (``Database/customerDocument``):
/// its bytes go out as they came in, without decoding them into Swift values and encoding them
/// again. That pair was the largest part of the API's CPU time in a lookup.
enum CustomerDocumentResponse {
    private static let listHead: StaticString = #"{"data":["#
    private static let listTail: StaticString = #"],"next_cursor":null}"#
    private static let emptyList: StaticString = #"{"data":[],"next_cursor":null}"#

    /// `{"data": [customer], "next_cursor": null}`, or an empty list: the lookup by identity,
    /// which finds one customer at most.
    static func list(_ document: ByteBuffer?) -> Response {
        guard var document else { return json(ByteBuffer(staticString: emptyList)) }
        var body = ByteBuffer()
        body.reserveCapacity(listHead.utf8CodeUnitCount + document.readableBytes + listTail.utf8CodeUnitCount)
        body.writeStaticString(listHead)
        body.writeBuffer(&document)
        body.writeStaticString(listTail)
        return json(body)
    }

    /// The customer itself.
    static func single(_ document: ByteBuffer) -> Response {
        json(document)
    }

    private static func json(_ body: ByteBuffer) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }
}
