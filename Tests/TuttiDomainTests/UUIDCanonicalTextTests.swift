import Foundation
import Testing
import TuttiDomain

@Suite("UUID canonical text")
struct UUIDCanonicalTextTests {
    @Test func canonicalTextIsTheLowerCasedUUIDString() {
        for _ in 0..<1000 {
            let id = UUID()
            #expect(id.canonicalText == id.uuidString.lowercased())
        }
        let edge = UUID(uuid: (0, 0x0f, 0xf0, 0xff, 0x10, 0x01, 0xab, 0xcd, 0xef, 0x9a, 0x5c, 0x00, 0x7e, 0x81, 0x18, 0xff))
        #expect(edge.canonicalText == "000ff0ff-1001-abcd-ef9a-5c007e8118ff")
    }
}
