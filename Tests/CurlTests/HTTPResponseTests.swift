import Curl
import Foundation
import Testing

@Suite("Status classification and Retry-After")
struct HTTPResponseTests {
    @Test(arguments: [
        (200, HTTPResponse.StatusClassification.success), (204, .success), (301, .permanent),
        (400, .permanent), (404, .permanent), (408, .permanent), (429, .retryable),
        (500, .retryable), (503, .retryable), (599, .retryable),
    ])
    func statusClassification(status: Int, expected: HTTPResponse.StatusClassification) {
        #expect(HTTPResponse.classify(status: status) == expected)
    }

    /// 1994-11-06T08:49:37Z, the RFC's example date.
    static let exampleDate = Date(timeIntervalSince1970: 784_111_777)

    @Test(arguments: [
        ("120", Duration.seconds(120)),
        (" 0 ", .zero),
        ("Sun, 06 Nov 1994 08:50:07 GMT", .seconds(30)),
        ("Sunday, 06-Nov-94 08:50:07 GMT", .seconds(30)),
        ("Sun Nov  6 08:50:07 1994", .seconds(30)),
        ("Sun, 06 Nov 1994 08:00:00 GMT", .zero),
    ])
    func retryAfterAcceptsDelaysAndAllHTTPDateForms(value: String, expected: Duration) {
        #expect(HTTPResponse.parseRetryAfter(value, now: Self.exampleDate) == expected)
    }

    @Test(arguments: ["", "soon", "-5", "1.5", "Sun, 36 Nov 1994 08:50:07 GMT"])
    func retryAfterIgnoresUnreadableValues(value: String) {
        #expect(HTTPResponse.parseRetryAfter(value, now: Self.exampleDate) == nil)
    }

    @Test func headerNamesAreCaseInsensitiveAndRepeatsKept() {
        var headers: HTTPHeaders = ["Set-Cookie": "a=1", "set-cookie": "b=2", "Content-Type": "text/plain"]
        #expect(headers.values(for: "SET-COOKIE") == ["a=1", "b=2"])
        #expect(headers["content-type"] == "text/plain")
        headers.replaceOrAdd(name: "SET-COOKIE", value: "c=3")
        #expect(headers.values(for: "set-cookie") == ["c=3"])
        #expect(headers.map(\.name) == ["content-type", "set-cookie"])
    }
}
