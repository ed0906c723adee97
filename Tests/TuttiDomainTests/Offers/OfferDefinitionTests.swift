import Foundation
import Testing
import TuttiDomain

@Suite("Offer definitions")
struct OfferDefinitionTests {
    static func parse(_ text: String) throws(OfferInvalid) -> OfferDefinition {
        try OfferDefinition.parse(try! JSONScanner.parse(Array(text.utf8)))
    }

    static func fields(_ text: String) -> [String] {
        do throws(OfferInvalid) {
            _ = try parse(text)
            return []
        } catch {
            return error.errors.map(\.field)
        }
    }

    @Test func aFullOfferReadsWithDefaultsForWhatIsAbsent() throws {
        let offer = try Self.parse(
            #"{"code": "SPRING-10", "name": "Spring", "value": 10, "currency": "EUR", "starts_at": "2026-03-01T00:00:00Z", "creative": {"email": {"headline": "Hi {{customer.id}}"}, "web": {"banner": "x"}}}"#
        )
        #expect(offer.code == "SPRING-10" && offer.priority == 50 && offer.weight == 1 && offer.perCustomerLimit == nil)
        #expect(offer.channels == [.email, .web])
        #expect(try OfferDefinition.parse(offer.json) == offer, "its JSON reads back the same")
    }

    @Test func everyWrongFieldIsReportedAtOnce() {
        #expect(
            Self.fields(
                #"{"code": "bad code", "name": "", "priority": 101, "currency": "eur", "value": -1, "starts_at": "2026-05-01T00:00:00Z", "ends_at": "2026-04-01T00:00:00Z", "weight": "x", "extra": 1, "creative": {"fax": {"a": "b"}, "sms": {"text": 3}}}"#
            ).sorted() == [
                "code", "creative.fax", "creative.sms.text", "currency", "ends_at", "extra", "name", "priority", "value",
                "weight",
            ])
        #expect(Self.fields(#"{"name": "x"}"#) == ["code"])
        #expect(Self.fields(#"{"code": "A", "name": "x", "currency": "EUR"}"#) == ["currency"], "a currency needs a value")
        #expect(Self.fields(#"{"code": "A", "name": "x", "value": 5, "currency": "XYZ"}"#) == ["currency"])
        #expect(
            Self.fields(#"{"code": "A", "name": "x", "per_customer_limit": 0, "total_cap": 1.5}"#).sorted() == [
                "per_customer_limit", "total_cap",
            ])
    }

    @Test func aMergePatchReplacesClearsAndMergesObjects() {
        let base: JSONValue = .object(["a": .number(1), "b": .object(["x": .string("1"), "y": .string("2")]), "c": .null])
        let patched = base.merged(with: .object(["a": .null, "b": .object(["y": .null, "z": .string("3")]), "d": .bool(true)]))
        #expect(patched == .object(["b": .object(["x": .string("1"), "z": .string("3")]), "c": .null, "d": .bool(true)]))
    }

    @Test func aCodePoolKeepsEachCodeOnceAndReportsRepeatsAndBadLines() {
        let text = OfferCodePool(text: "A1\r\nB2\n\n  A1  \nC 3\n", ndjson: false)
        #expect(text.codes == ["A1", "B2"] && text.repeated == ["A1"])
        #expect(text.badLines.map(\.line) == [5])
        let ndjson = OfferCodePool(
            text: #"{"code": "X"}"# + "\n" + #"{"code": 1}"# + "\n" + #"{"code": "Y", "n": 1}"#, ndjson: true)
        #expect(ndjson.codes == ["X"] && ndjson.badLines.map(\.line) == [2, 3])
    }
}
