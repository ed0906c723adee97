import Testing
import TuttiDomain

@Suite("SMS encoding and segments")
struct SMSSegmentsTests {
    @Test func gsm7TextFitsOneSegmentUpTo160CharactersAndSplitsBy153After() {
        #expect(SMSSegments(String(repeating: "a", count: 160)) == SMSSegments.expected(.gsm7, units: 160, count: 1))
        #expect(SMSSegments(String(repeating: "a", count: 161)) == SMSSegments.expected(.gsm7, units: 161, count: 2))
        #expect(SMSSegments(String(repeating: "a", count: 306)).count == 2)
        #expect(SMSSegments(String(repeating: "a", count: 307)).count == 3)
        #expect(SMSSegments("").count == 0)
    }

    @Test func extensionCharactersAndFormFeedCountTwice() {
        #expect(SMSSegments("^{}\\[~]|€\u{0C}") == SMSSegments.expected(.gsm7, units: 20, count: 1))
        #expect(SMSSegments(String(repeating: "€", count: 80)) == SMSSegments.expected(.gsm7, units: 160, count: 1))
        #expect(SMSSegments(String(repeating: "€", count: 80) + "a") == SMSSegments.expected(.gsm7, units: 161, count: 2))
        #expect(SMSSegments(String(repeating: "a", count: 159) + "€").count == 2)
    }

    @Test func anEscapePairIsNeverSplitAcrossSegments() {
        // 152 septets then `€` (2): it moves whole to the second segment.
        let text = String(repeating: "a", count: 152) + "€" + String(repeating: "a", count: 152)
        #expect(SMSSegments(text) == SMSSegments.expected(.gsm7, units: 306, count: 3))
    }

    @Test func accentedLettersOfTheGSMAlphabetStayGSM7AndOthersNeedUCS2() {
        #expect(SMSSegments("Grüße aus Köln, ¿qué tal? Ñoño à Genève").encoding == .gsm7)
        #expect(SMSSegments("Zoë à Genève: ça va?").encoding == .ucs2)  // ë and ç are not in GSM 03.38
        #expect(SMSSegments("O'Brien & Sons").encoding == .gsm7)
        #expect(SMSSegments("Привет").encoding == .ucs2)
    }

    @Test func ucs2TextFitsOneSegmentUpTo70CodeUnitsAndSplitsBy67After() {
        #expect(SMSSegments(String(repeating: "ж", count: 70)) == SMSSegments.expected(.ucs2, units: 70, count: 1))
        #expect(SMSSegments(String(repeating: "ж", count: 71)) == SMSSegments.expected(.ucs2, units: 71, count: 2))
        #expect(SMSSegments(String(repeating: "ж", count: 134)).count == 2)
        #expect(SMSSegments(String(repeating: "ж", count: 135)).count == 3)
    }

    @Test func anEmojiIsTwoCodeUnitsAndIsNeverSplit() {
        #expect(SMSSegments(String(repeating: "😀", count: 35)) == SMSSegments.expected(.ucs2, units: 70, count: 1))
        #expect(SMSSegments(String(repeating: "😀", count: 35) + "a") == SMSSegments.expected(.ucs2, units: 71, count: 2))
        // 66 units then an emoji (2): the pair starts the second segment.
        let text = String(repeating: "ж", count: 66) + "😀" + String(repeating: "ж", count: 66)
        #expect(SMSSegments(text) == SMSSegments.expected(.ucs2, units: 134, count: 3))
    }
}

extension SMSSegments {
    static func expected(_ encoding: Encoding, units: Int, count: Int) -> SMSSegments {
        var segments = SMSSegments("")
        segments.encoding = encoding
        segments.units = units
        segments.count = count
        return segments
    }
}
