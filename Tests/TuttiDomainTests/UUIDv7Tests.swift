import Foundation
import Testing
import TuttiDomain

@Suite("Version 7 ids")
struct UUIDv7Tests {
    @Test func idsMadeLaterSortAfter() {
        let earlier = UUID.v7(at: Date(timeIntervalSince1970: 1_700_000_000))
        let later = UUID.v7(at: Date(timeIntervalSince1970: 1_700_000_000.002))
        #expect(earlier.uuidString.lowercased() < later.uuidString.lowercased())
    }

    @Test func versionAndVariantBitsAreSet() {
        let text = UUID.v7().uuidString.lowercased()
        let characters = Array(text)
        #expect(characters[14] == "7")
        #expect("89ab".contains(characters[19]))
    }

    @Test func idCarriesMillisecondsVersionAndVariant() {
        let date = Date(timeIntervalSince1970: 1_795_538_036.5)
        var source = SplitMix64.systemSeeded()
        for id in [UUID.v7(at: date), UUID.v7(at: date, using: &source)] {
            let text = id.uuidString.lowercased()
            // 1,795,538,036,500 ms is 0x01a2_0e68_2714.
            #expect(text.hasPrefix("01a20e68-2714-7"), "\(text)")
            #expect(["8", "9", "a", "b"].contains(text.split(separator: "-")[3].first.map(String.init)), "\(text)")
        }
    }

    @Test func idsOfOneSourceDifferAndSortByTime() {
        var source = SplitMix64.systemSeeded()
        let now = Date()
        let ids = (0..<10_000).map { UUID.v7(at: now.addingTimeInterval(Double($0 / 100) / 1000), using: &source) }
        #expect(Set(ids).count == ids.count)
        let prefixes = ids.map { $0.uuidString.prefix(13) }
        #expect(prefixes == prefixes.sorted())
    }

    @Test func twoSourcesDoNotRepeatEachOther() {
        var first = SplitMix64.systemSeeded(), second = SplitMix64.systemSeeded()
        let a = (0..<64).map { _ in first.next() }, b = (0..<64).map { _ in second.next() }
        #expect(Set(a).isDisjoint(with: b))
    }
}
