import Foundation
import Testing
import TuttiDomain

@Suite("Identities are normalized")
struct IdentityTests {
    @Test func emailIsTrimmedAndLowerCased() throws {
        #expect(try Identity(type: .email, value: "  Ann.Lee+promo@Example.COM ").value == "ann.lee+promo@example.com")
    }

    /// Control characters are general category Cc, U+0000–U+001F and U+007F–U+009F; the check
    /// scans UTF-8 bytes, so the C1 range (two bytes each) and its neighbours are pinned here.
    @Test(arguments: [
        ("a\u{0}b", true), ("a\u{1F}b", true), ("a\u{7F}b", true), ("a\u{80}b", true), ("a\u{85}b", true), ("a\u{9F}b", true),
        ("a\u{A0}b", false), ("a\u{BF}b", false), ("aĀb", false), ("a\u{2028}b", false), ("annë", false), ("👩‍💻", false),
    ] as [(String, Bool)])
    func controlCharactersAreRefused(_ text: String, _ refused: Bool) {
        let accepted = (try? Identity(type: .externalID, value: text)) != nil
        #expect(accepted == !refused, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
    }

    @Test(arguments: ["ann", "ann@", "@example.com", "ann@example", "ann@@example.com", "an n@example.com", "ann@exa_mple.com", "ann..lee@example.com", "ann@example.c0m"])
    func malformedEmailIsRefused(_ text: String) {
        #expect(throws: ValidationError.self) { try Identity(type: .email, value: text) }
    }

    /// Printable ASCII takes a byte-by-byte path; other text the Character-by-Character one.
    /// Both must give the same verdicts and the same messages.
    @Test(arguments: [
        ("a.b-c+d_e@sub-1.example.org", nil),
        ("!#$%&'*+/=?^_`{|}~-@example.com", nil),
        (String(repeating: "a", count: 64) + "@example.com", nil),
        (String(repeating: "a", count: 65) + "@example.com", "is not an e-mail address"),
        ("a@" + String(repeating: "b", count: 63) + ".com", nil),
        ("a@" + String(repeating: "b", count: 64) + ".com", "is not an e-mail address (domain)"),
        ("a@" + String(repeating: "b.", count: 125) + "com", "is not an e-mail address"),
        (".ann@example.com", "is not an e-mail address"),
        ("ann.@example.com", "is not an e-mail address"),
        ("ann\"@example.com", "is not an e-mail address"),
        ("ann@-example.com", "is not an e-mail address (domain)"),
        ("ann@example-.com", "is not an e-mail address (domain)"),
        ("ann@example..com", "is not an e-mail address (domain)"),
        ("ann@example.c", "is not an e-mail address (domain)"),
        ("ann@example.com.", "is not an e-mail address (domain)"),
        ("annë@example.com", "is not an e-mail address"),
        ("ann@exämple.com", "is not an e-mail address (domain)"),
    ] as [(String, String?)])
    func emailRules(_ text: String, _ message: String?) {
        do throws(ValidationError) {
            let value = try Identity(type: .email, value: text).value
            #expect(message == nil, "\(text) was accepted as \(value)")
            #expect(value == text.lowercased())
        } catch {
            #expect(error.message == message, "\(text)")
        }
    }

    @Test(arguments: [
        ("+33 6 12 34 56 78", nil, "+33612345678"),
        ("0033 6 12 34 56 78", nil, "+33612345678"),
        ("06 12 34 56 78", "FR", "+33612345678"),
        ("(415) 555-0100", "US", "+14155550100"),
        ("1 415 555 0100", "US", "+14155550100"),
        ("011 44 20 7946 0018", "US", "+442079460018"),
        ("020 7946 0018", "GB", "+442079460018"),
        ("06 1234 5678", "IT", "+390612345678"),
    ] as [(String, String?, String)])
    func phoneBecomesE164(_ raw: String, _ country: String?, _ expected: String) throws {
        #expect(try Identity(type: .phone, value: raw, defaultCountry: country).value == expected)
    }

    @Test(arguments: [("06 12 34 56 78", nil), ("12", "FR"), ("+33 6 12 abc", nil), ("555-0100", "US"), ("+1+2345678901", nil)] as [(String, String?)])
    func unusablePhoneIsRefused(_ raw: String, _ country: String?) {
        #expect(throws: ValidationError.self) { try Identity(type: .phone, value: raw, defaultCountry: country) }
    }

    @Test func socialHandlesLoseTheirAtAndCase() throws {
        #expect(try Identity(type: .x, value: "@TuttiHQ").value == "tuttihq")
        #expect(try Identity(type: .mastodon, value: "@Ann@Mastodon.Social").value == "ann@mastodon.social")
        #expect(throws: ValidationError.self) { try Identity(type: .mastodon, value: "ann") }
    }

    @Test func identityParsesFromTypeColonValue() throws {
        #expect(try Identity(parsing: "email:Ann@Example.com") == Identity(stored: .email, value: "ann@example.com"))
        #expect(try Identity(parsing: "other:loyalty:AB-12:3") == Identity(stored: .other("loyalty"), value: "AB-12:3"))
        #expect(throws: ValidationError.self) { try Identity(parsing: "fax:123") }
        #expect(throws: ValidationError.self) { try Identity(parsing: "no-colon") }
        #expect(IdentityType("other:Bad Name") == nil)
    }
}

@Suite("Customer attributes")
struct CustomerAttributeTests {
    @Test func reservedKeysAreCheckedAndNormalized() throws {
        let attributes = try CustomerAttributes.validate([
            "first_name": .string(" Ann "), "birthday": .string("1990-02-28"), "time_zone": .string("Europe/Paris"),
            "country": .string("fr"), "language": .string("pt-BR"), "plan": .string("gold"),
            "quiet_hours": .object(["start": .string("21:00"), "end": .string("08:00")]),
        ])
        #expect(attributes["first_name"] == .string("Ann"))
        #expect(attributes["country"] == .string("FR"))
        #expect(attributes["plan"] == .string("gold"))
    }

    @Test func everyBadReservedValueIsReportedAtOnce() {
        do {
            _ = try CustomerAttributes.validate([
                "birthday": .string("1990-02-30"), "time_zone": .string("Mars/Olympus"), "country": .number(33),
                "quiet_hours": .object(["start": .string("25:00"), "end": .string("08:00")]),
            ])
            Issue.record("invalid attributes were accepted")
        } catch {
            #expect(Set(error.errors.map(\.field)) == ["attributes.birthday", "attributes.time_zone", "attributes.country", "attributes.quiet_hours"])
        }
    }

    @Test func newerWriteWinsKeyByKeyWhenCustomersMerge() {
        let t0 = Date(timeIntervalSince1970: 1_000), t1 = Date(timeIntervalSince1970: 2_000)
        let survivor = TimedAttributes(values: ["plan": .string("gold"), "city": .string("Paris")], times: ["plan": t0, "city": t1])
        let merged = TimedAttributes(values: ["plan": .string("silver"), "city": .string("Lyon"), "age": .number(40)], times: ["plan": t1, "city": t0, "age": t0])
        let result = survivor.merged(with: merged)
        #expect(result.values == ["plan": .string("silver"), "city": .string("Paris"), "age": .number(40)])
    }

    @Test func eachKeysSourceTravelsWithTheValueThatWinsTheMerge() {
        let t0 = Date(timeIntervalSince1970: 1_000), t1 = Date(timeIntervalSince1970: 2_000)
        var survivor = TimedAttributes()
        survivor.apply(["plan": .string("gold"), "city": .string("Paris")], at: t0, source: "api")
        survivor.apply(["city": .string("Lille")], at: t1, source: "segment")
        var merged = TimedAttributes()
        merged.apply(["plan": .string("silver"), "city": .string("Lyon"), "age": .number(40)], at: t0, source: "import:crm")
        merged.apply(["plan": .string("silver")], at: t1, source: "import:erp")
        let result = survivor.merged(with: merged)
        #expect(result.values == ["plan": .string("silver"), "city": .string("Lille"), "age": .number(40)])
        #expect(result.sources == ["plan": "import:erp", "city": "segment", "age": "import:crm"])
        #expect(result.times == ["plan": t1, "city": t1, "age": t0])
    }

    @Test func oldestCustomerSurvivesWhateverTheOrder() {
        let older = UUID.v7(at: Date(timeIntervalSince1970: 1_700_000_000)), newer = UUID.v7(at: Date(timeIntervalSince1970: 1_700_000_100))
        #expect(MergeSurvivor.choose([newer, older]) == older)
        #expect(MergeSurvivor.choose([older, newer]) == older)
    }
}
