import Foundation
import Testing
import TuttiDomain

@Suite("JSON scanner")
struct JSONScannerTests {
    @Test func readsWhatFoundationReads() throws {
        let documents = [
            #"{"a": [1, -2.5, 3e2, 0, -0.0, 1E-3], "b": {"c": null, "d": true, "e": false}, "f": ""}"#,
            #"  "\"\\\/\b\f\n\r\t\u00e9\ud83c\udfb5 ok"  "#,
            #"[[], {}, [{}], "é ü 日本"]"#,
            "123456789012",
        ]
        for text in documents {
            let expected = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
            #expect(try JSONScanner.parse(Array(text.utf8)) == expected, "\(text)")
        }
    }

    /// Members are gathered on one stack for every open object; each object must get exactly
    /// its own, and a repeated name its last value.
    @Test func nestedObjectsKeepTheirOwnMembers() throws {
        let text = #"{"a": {"x": 1, "y": {"z": [ {"p": 1}, {} ]}}, "b": 2, "a2": {"x": 3, "x": 4}, "c": {}}"#
        let value = try JSONScanner.parse(Array(text.utf8))
        #expect(value == .object([
            "a": .object(["x": .number(1), "y": .object(["z": .array([.object(["p": .number(1)]), .object([:])])])]),
            "b": .number(2), "a2": .object(["x": .number(4)]), "c": .object([:]),
        ]))
    }

    /// Strings of ASCII take a shorter way to a String than the rest; both must read alike.
    @Test func asciiAndOtherStringsReadAlike() throws {
        for text in ["plain", "é", "a日本b", #"x\u00e9y"#, #"tab\there"#, ""] {
            let expected = try JSONDecoder().decode(String.self, from: Data("\"\(text)\"".utf8))
            #expect(try JSONScanner.parse(Array("\"\(text)\"".utf8)) == .string(expected), "\(text)")
        }
    }

    @Test func refusesWhatIsNotJSON() {
        let bad = [
            "", "{", "}", "[1,]", "{\"a\" 1}", "{\"a\": 1,}", "01", "1.", "-", ".5", "1e", "tru", "nul", "\"abc",
            "\"a\u{01}b\"", #""\x""#, #""\ud83c""#, #""\u12""#, "{} {}", "[1] x", "{a: 1}", "'a'", "NaN", "1e999",
            String(repeating: "[", count: 65) + String(repeating: "]", count: 65),
        ]
        for text in bad {
            #expect(throws: JSONScanner.Failure.self, "\(text)") { try JSONScanner.parse(Array(text.utf8)) }
        }
        #expect(throws: JSONScanner.Failure.self) { try JSONScanner.parse([0x22, 0xFF, 0x22]) }
        #expect((try? JSONScanner.parse(Array((String(repeating: "[", count: 64) + String(repeating: "]", count: 64)).utf8))) != nil)
    }

    @Test func compactTextReadsBackAsTheSameValue() throws {
        let value = JSONValue.object([
            "text": .string("quote \" backslash \\ newline \n tab \t bell \u{07} é"), "n": .number(42), "x": .number(-1.25),
            "big": .number(1e20), "list": .array([.null, .bool(true), .object([:])]),
        ])
        #expect(try JSONScanner.parse(Array(value.compactText.utf8)) == value)
        #expect(JSONValue.parse(value.compactText) == value)
        #expect(JSONValue.object(["a": .string("x\u{0}y")]).containsNUL)
        #expect(!value.containsNUL)
    }
}
