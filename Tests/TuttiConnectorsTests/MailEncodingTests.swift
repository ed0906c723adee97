import Foundation
import Testing
@testable import TuttiConnectors

@Suite("Mail encodings")
struct MailEncodingTests {
    @Test func quotedPrintableKeepsLinesShortEscapesEqualsAndTrailingSpaces() {
        let encoded = QuotedPrintable.encode(String(repeating: "é=", count: 60) + " \nnext line ")
        #expect(encoded.components(separatedBy: "\r\n").allSatisfy { $0.count <= 76 })
        #expect(!encoded.contains("= \r\n") && encoded.hasSuffix("line=20"))
        #expect(encoded.contains("=C3=A9=3D"))
    }

    @Test func encodedWordsNeverSplitACharacterAndStayUnder76Characters() {
        let subject = String(repeating: "🎉ü", count: 40)
        let encoded = EncodedWord.encode(subject)
        let words = encoded.components(separatedBy: "\r\n ")
        #expect(words.count > 1 && words.allSatisfy { $0.count <= 75 && $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") })
        let decoded = words.map { word in
            String(decoding: Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))!, as: UTF8.self)
        }
        #expect(decoded.joined() == subject, "each word decodes on its own: no character split across words")
    }

    @Test func headerTextCannotStartANewHeader() {
        #expect(EncodedWord.encode("Hi\r\nBcc: victim@example.com") == "Hi  Bcc: victim@example.com")
    }

    @Test func formEncodingMatchesPythonsUrlencode() {
        #expect(String(decoding: FormEncoding.encode([("Message", "a b+c&d=é~")]), as: UTF8.self) == "Message=a+b%2Bc%26d%3D%C3%A9~")
    }
}
