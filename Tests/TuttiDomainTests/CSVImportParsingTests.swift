import Foundation
import Testing
import TuttiDomain

@Suite("Import parsing: CSV")
struct CSVImportParsingTests {
    @Test(arguments: [1, 2, 7, Int.max])
    func quotedFieldsCommasNewlinesAndEmptyCellsWhateverTheChunking(_ chunk: Int) throws {
        let text = "\u{FEFF}Email,phone,external_id,other:crm_id,first_name,attribute.email,note\r\n"
            + "ann@example.com,,a-1,,Ann,work@example.com,\"Smith, \"\"Ann\"\"\"\r\n"
            + "\r\n"
            + ",06 12 34 56 78,,c-9,,,\"two\nlines\"\n"
            + "bob@example.com,,,,Bob,,last"
        let items = try parseImport(text, .csv, chunk: chunk, country: "FR")
        #expect(items.map(\.line) == [2, 4, 6])
        let rows = items.compactMap(\.row)
        try #require(rows.count == 3, "\(items)")
        #expect(rows[0].identities == [Identity(stored: .email, value: "ann@example.com"), Identity(stored: .externalID, value: "a-1")])
        #expect(rows[0].attributes == ["first_name": .string("Ann"), "email": .string("work@example.com"), "note": .string("Smith, \"Ann\"")])
        #expect(rows[0].fields[Identity(stored: .externalID, value: "a-1")] == "external_id")
        #expect(rows[1].identities == [Identity(stored: .phone, value: "+33612345678"), Identity(stored: .other("crm_id"), value: "c-9")])
        #expect(rows[1].attributes == ["note": .string("two\nlines")])
        #expect(rows[2].attributes == ["first_name": .string("Bob"), "note": .string("last")])
    }

    @Test(arguments: [1, 3, Int.max])
    func brokenRowsAreReportedByLineAndTheGoodOnesKept(_ chunk: Int) throws {
        let text = """
            email,first_name
            good1@example.com,One
            not-an-email,Two
            bro"ken@example.com,Three
            good2@example.com,Four,extra
            "good3@example.com"x,Five
            good4@example.com,"Six
            good5@example.com,Seven
            good6@example.com,"Eight"
            "unterminated@example.com,Nine
            good7@example.com,Ten

            """
        let items = try parseImport(text, .csv, chunk: chunk)
        let good = items.compactMap(\.row).map { $0.identities[0].value }
        // Line 7 opens a quote that line 9 closes, followed by text: the record from 7 is
        // refused and lines 8 and 9 are read afresh.
        #expect(good == ["good1@example.com", "good5@example.com", "good6@example.com", "good7@example.com"])
        let errors = items.flatMap(\.errors)
        #expect(errors.map(\.line) == [3, 4, 5, 6, 7, 10])
        #expect(errors[0].field == "email")
        #expect(errors[1].message.contains("quote inside an unquoted field"))
        #expect(errors[2].message == "has 3 fields; the header has 2")
        #expect(errors[3].message.contains("after a closing quote"))
        #expect(errors[5].message == "has a quoted field that is not closed")
    }

    @Test func aQuoteLeftOpenPastTheRecordLimitCostsOneRow() throws {
        var text = "email,note\n\"open@example.com,x\n"
        for index in 0..<40 { text += "row\(index)@example.com,n\n" }
        let items = try parseImport(text, .csv, chunk: 16, maxRecordBytes: 200)
        #expect(items.first?.errors.first?.line == 2)
        #expect(items.compactMap(\.row).count == 40)
        #expect(items.last?.line == 42)
    }

    @Test func unusableHeadersRefuseTheFile() throws {
        for header in ["first_name,last_name", "email,Email", "email,first_name,attribute.first_name", "email,other:Bad Name", "email,,x", "\"email"] {
            #expect(throws: ImportHeaderError.self, "\(header)") { try parseImport(header + "\na@example.com,b,c\n", .csv) }
        }
        #expect(try parseImport("", .csv).isEmpty)
        #expect(try parseImport("email\n", .csv).isEmpty)
    }

    @Test func rowsWithoutAnyIdentityOrWithBadReservedAttributesAreRefused() throws {
        let items = try parseImport("email,phone,birthday,country\n,,1990-01-01,FR\na@example.com,,yesterday,FRA\nb@example.com,,,fr\n", .csv)
        #expect(items[0].errors.map(\.message) == ["has no identity (every identity cell is empty)"])
        #expect(Set(items[1].errors.map(\.field)) == ["birthday", "country"])
        #expect(items[2].row?.attributes == ["country": .string("FR")])
    }
}
