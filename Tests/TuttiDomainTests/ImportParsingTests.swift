import Foundation
import Testing
import TuttiDomain

/// Feeds `text` to a parser `chunk` bytes at a time, as the network would, and collects what
/// it makes of it.
func parseImport(_ text: String, _ format: ImportFormat, chunk: Int = .max, country: String? = nil, maxRecordBytes: Int = 1 << 20) throws -> [ImportItem] {
    var parser = ImportParser(format: format, defaultCountry: country, maxRecordBytes: maxRecordBytes)
    var items: [ImportItem] = []
    let bytes = Array(text.utf8)
    var start = 0
    while start < bytes.count {
        let end = chunk >= bytes.count - start ? bytes.count : start + chunk
        parser.append(bytes[start..<end])
        start = end
        while let item = try parser.next() { items.append(item) }
    }
    parser.finish()
    while let item = try parser.next() { items.append(item) }
    return items
}

extension ImportItem {
    var row: ImportRow? { if case .row(let row) = self { row } else { nil } }
    var errors: [ImportRowError] { if case .invalid(let errors) = self { errors } else { [] } }
}

@Suite("Import parsing: NDJSON")
struct NDJSONImportParsingTests {
    static let chunkSizes = [1, 3, 17, Int.max]

    @Test(arguments: chunkSizes)
    func rowsAreReadWithTheirLineNumbersWhateverTheChunking(_ chunk: Int) throws {
        let text = """
            {"identities": [{"type": "email", "value": " Ann@Example.COM "}], "attributes": {"first_name": "Ann", "vip": true}}

            {"identities": [{"type": "external_id", "value": 42}, {"type": "phone", "value": "06 12 34 56 78"}]}\r
            {"identities": [{"type": "other:crm_id", "value": "c-1"}], "attributes": {"tags": ["a", "é"], "score": 1.5, "gone": null}}
            """
        let items = try parseImport(text, .ndjson, chunk: chunk, country: "FR")
        #expect(items.map(\.line) == [1, 3, 4])
        let rows = items.compactMap(\.row)
        try #require(rows.count == 3)
        #expect(rows[0].identities == [Identity(stored: .email, value: "ann@example.com")])
        #expect(rows[0].attributes == ["first_name": .string("Ann"), "vip": .bool(true)])
        #expect(rows[1].identities == [Identity(stored: .externalID, value: "42"), Identity(stored: .phone, value: "+33612345678")])
        #expect(rows[1].fields[Identity(stored: .phone, value: "+33612345678")] == "identities[1]")
        #expect(rows[2].attributes == ["tags": .array([.string("a"), .string("é")]), "score": .number(1.5), "gone": .null])
    }

    @Test func brokenLinesAreReportedByLineAndFieldAndTheOthersKept() throws {
        let text = """
            {"identities": [{"type": "email", "value": "ok@example.com"}]}
            {"identities": [{"type": "email", "value": "not-an-email"}]}
            {"identities": [{"type": "email", "value": "x@example.com"}
            [1, 2]
            {"attributes": {"first_name": "No identity"}}
            {"identities": [{"type": "fax", "value": "1"}], "attribute": {}}
            {"identities": [{"type": "email", "value": "b@example.com"}], "attributes": {"birthday": "1990-02-30", "language": 7}}
            {"identities": [{"type": "email", "value": "nul@example.com"}], "attributes": {"note": "a\\u0000b"}}
            {"identities": [{"type": "email", "value": "last@example.com"}]}
            """
        let items = try parseImport(text, .ndjson)
        #expect(items.compactMap(\.row).map(\.line) == [1, 9])
        let errors = items.flatMap(\.errors)
        func fields(_ line: Int) -> Set<String?> { Set(errors.filter { $0.line == line }.map(\.field)) }
        #expect(fields(2) == ["identities[0].value"])
        #expect(errors.first { $0.line == 3 }?.message.contains("not valid JSON") == true)
        #expect(fields(4) == [nil])
        #expect(fields(5) == ["identities"])
        #expect(fields(6) == ["identities[0].type", "attribute"])
        #expect(fields(7) == ["attributes.birthday", "attributes.language"])
        #expect(fields(8) == ["attributes"])
    }

    @Test(arguments: [1, 5, Int.max])
    func anOverlongLineIsSkippedWithoutBeingKept(_ chunk: Int) throws {
        let long = #"{"identities": [{"type": "email", "value": "a@example.com"}], "attributes": {"x": "\#(String(repeating: "y", count: 300))"}}"#
        let text = long + "\n" + #"{"identities": [{"type": "email", "value": "b@example.com"}]}"# + "\n" + long
        let items = try parseImport(text, .ndjson, chunk: chunk, maxRecordBytes: 100)
        #expect(items.map(\.line) == [1, 2, 3])
        #expect(items[0].errors.first?.message == "is longer than 100 bytes")
        #expect(items[1].row != nil)
        #expect(items[2].errors.count == 1)
    }

    @Test func anEmptyBodyHasNoRows() throws {
        #expect(try parseImport("", .ndjson).isEmpty)
        #expect(try parseImport("\n \n\r\n", .ndjson).isEmpty)
    }
}

@Suite("Import formats")
struct ImportFormatTests {
    @Test func contentTypesNameTheFormat() {
        #expect(ImportFormat(contentType: "application/x-ndjson") == .ndjson)
        #expect(ImportFormat(contentType: "Application/NDJSON; charset=UTF-8") == .ndjson)
        #expect(ImportFormat(contentType: "text/csv; header=present") == .csv)
        #expect(ImportFormat(contentType: "text/csv; charset=\"utf-8\"") == .csv)
        #expect(ImportFormat(contentType: "text/csv; charset=latin1") == nil)
        #expect(ImportFormat(contentType: "application/json") == nil)
        #expect(ImportFormat(contentType: "") == nil)
    }
}
