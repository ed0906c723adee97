import Foundation
import Hummingbird
import Testing

@testable import TuttiRuntime

/// The ids ``RequestIDMiddleware`` makes: random version 4 UUIDs in lower case, as
/// `UUID().uuidString.lowercased()` wrote them, and its duration field.
@Suite("Request ids and durations")
struct RequestIDTests {
    @Test func idIsAVersion4UUIDInLowerCase() throws {
        #expect(RandomRequestID.make(high: 0x0123_4567_89AB_CDEF, low: 0xFEDC_BA98_7654_3210) == "01234567-89ab-4def-bedc-ba9876543210")
        #expect(RandomRequestID.make(high: 0, low: 0) == "00000000-0000-4000-8000-000000000000")
        #expect(RandomRequestID.make(high: .max, low: .max) == "ffffffff-ffff-4fff-bfff-ffffffffffff")
        var seen = Set<String>()
        for _ in 0..<100 {
            let id = RandomRequestID.make()
            let uuid = try #require(UUID(uuidString: id))
            #expect(uuid.uuidString.lowercased() == id)
            #expect(id.count == 36 && Array(id)[14] == "4" && "89ab".contains(Array(id)[19]))
            seen.insert(id)
        }
        #expect(seen.count == 100)
    }

    @Test func durationIsMillisecondsWithThreeDecimals() {
        typealias Middleware = RequestIDMiddleware<BasicRequestContext>
        #expect(Middleware.milliseconds(.microseconds(1234)) == "1.234")
        #expect(Middleware.milliseconds(.microseconds(7)) == "0.007")
        #expect(Middleware.milliseconds(.nanoseconds(1_999_600)) == "2.000")
        #expect(Middleware.milliseconds(.seconds(3) + .microseconds(40)) == "3000.040")
        #expect(Middleware.milliseconds(.zero) == "0.000")
    }
}
