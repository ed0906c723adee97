import Foundation
import Hummingbird
import Testing
import TuttiDomain
import TuttiStore
import TuttiTestSupport

@testable import TuttiAPI

/// The import runner against a body that arrives slowly and breaks off, which the in-process
/// test client (whole bodies only) cannot send.
@Suite("Bulk import streaming")
struct ImportStreamTests {
    @Test func progressShowsWhileTheBodyArrivesAndABrokenUploadKeepsWhatWasRead() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make(in: database)
            let principal = Principal(tenantID: tenant.tenant.id, keyID: tenant.adminKey.key.id, role: .admin)
            let id = UUID.v7()
            _ = try await database.withTenant(principal.tenantID, logger: TestDatabase.logger) { session in
                try await session.importInsert(id: id, format: .ndjson, source: nil)
            }
            let (body, upload) = AsyncThrowingStream<ByteBuffer, any Error>.makeStream()
            let runner = ImportRunner(
                database: database, principal: principal, importID: id, identitySource: "import:test", requestID: nil, logger: TestDatabase.logger)
            let running = Task {
                var reader = ImportBodyReader(body: body, parser: ImportParser(format: .ndjson, defaultCountry: nil), limit: 1 << 30)
                let first = try #require(try await reader.next())
                return try await runner.run(first: first, reader: &reader)
            }
            upload.yield(ByteBuffer(string: ndjson(1_500)))

            // The first chunk is committed and visible while the upload is still open.
            func current() async throws -> ImportRecord? {
                try await database.withTenant(principal.tenantID, logger: TestDatabase.logger) { try await $0.importGet(id: id) }
            }
            let deadline = ContinuousClock.now + .seconds(60)
            var seen = try await current()
            while seen?.rowsTotal != 1_000, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
                seen = try await current()
            }
            #expect(seen?.status == .running)
            #expect(seen?.rowsOK == 1_000)
            #expect(seen?.finishedAt == nil)

            // The connection drops in the middle of a line.
            upload.yield(ByteBuffer(string: #"{"identities": [{"type": "email", "value": "half"#))
            upload.finish(throwing: CancellationError())
            await #expect(throws: ImportBodyFailure.self) { try await running.value }

            let final = try #require(try await current())
            #expect(final.status == .failed)
            #expect(final.rowsTotal == 1_500)
            #expect(final.rowsOK == 1_500)
            #expect(final.finishedAt != nil)
            #expect(final.errors.last?.line == 1_501)
            #expect(final.errors.last?.message.contains("broke off") == true)
            #expect(final.reason == "Line 1501: \(final.errors.last?.message ?? "")")
            let customers = try await database.withTenant(principal.tenantID, logger: TestDatabase.logger) { session in
                try await session.customerFind(Identity(stored: .email, value: "c1499@example.com"))
            }
            #expect(customers != nil)
        }
    }

    @Test func aChunkedBodyPastTheLimitStopsTheImportAndKeepsWhatCameBefore() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make(in: database)
            let principal = Principal(tenantID: tenant.tenant.id, keyID: tenant.adminKey.key.id, role: .admin)
            let id = UUID.v7()
            _ = try await database.withTenant(principal.tenantID, logger: TestDatabase.logger) { session in
                try await session.importInsert(id: id, format: .ndjson, source: nil)
            }
            // No Content-Length: the limit is enforced as the bytes arrive.
            let body = [ndjson(10), ndjson(10, from: 10), ndjson(10, from: 20)].map { ByteBuffer(string: $0) }
            let limit = body[0].readableBytes + body[1].readableBytes
            let runner = ImportRunner(
                database: database, principal: principal, importID: id, identitySource: "import:test", requestID: nil, logger: TestDatabase.logger)
            var reader = ImportBodyReader(body: body.async, parser: ImportParser(format: .ndjson, defaultCountry: nil), limit: limit)
            let first = try #require(try await reader.next())
            await #expect(throws: ImportBodyFailure.self) { try await runner.run(first: first, reader: &reader) }
            let final = try #require(try await database.withTenant(principal.tenantID, logger: TestDatabase.logger) { try await $0.importGet(id: id) })
            #expect(final.status == .failed)
            #expect(final.rowsOK == 20)
            #expect(final.errors.last?.message.contains("larger than the import limit") == true)
        }
    }
}

/// An array as an asynchronous sequence, like a body arriving in parts.
extension Array where Element: Sendable {
    var async: AsyncStream<Element> {
        AsyncStream { continuation in
            for element in self { continuation.yield(element) }
            continuation.finish()
        }
    }
}
