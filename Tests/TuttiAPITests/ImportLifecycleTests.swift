import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing
import TuttiDomain
import TuttiStore
import TuttiTestSupport

@testable import TuttiAPI

@Suite("Import listing and cancellation")
struct ImportLifecycleTests {
    @Test func aCancelledImportStopsAfterItsChunkAndKeepsWhatWasCommitted() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make(in: database)
            let fed = try await FedImport.start(tenant, in: database)
            fed.send(ndjson(1_500))
            try #require(try await fed.wait { $0.rowsTotal == 1_000 }.status == .running)

            try await withAPI { client in
                let (status, answer) = try await client.send(.post, "/v1/imports/\(fed.id.lowercasedText)/cancel", tenant.created)
                #expect(status == .ok, "\(answer)")
                #expect(answer["status"] as? String == "cancelled")
                #expect((answer["reason"] as? String)?.contains("Cancelled") == true)
                #expect(answer["finished_at"] is String)
                // Cancelling again: it has ended.
                let (again, problem) = try await client.send(.post, "/v1/imports/\(fed.id.lowercasedText)/cancel", tenant.created)
                #expect(again == .conflict)
                #expect((problem["type"] as? String)?.hasSuffix("import-finished") == true)
            }

            // The runner goes on reading until its next chunk is ready, which is not written.
            fed.send(ndjson(1_000, from: 1_500))
            fed.upload.finish()
            await #expect(throws: ImportStopped.self) { try await fed.running.value }
            let final = try #require(try await fed.record())
            #expect(final.status == .cancelled)
            #expect(final.rowsTotal == 1_000)
            #expect(final.rowsOK == 1_000)
            let found = try await database.withTenant(tenant.tenant.id, logger: TestDatabase.logger) { session in
                var found: [Bool] = []
                for email in ["c999@example.com", "c1000@example.com", "c2400@example.com"] {
                    found.append(try await session.customerFind(Identity(stored: .email, value: email)) != nil)
                }
                return found
            }
            #expect(found == [true, false, false])
        }
    }

    @Test func importsAreListedNewestFirstPageByPageWithoutTheirErrors() async throws {
        try await withAPI { client in
            let tenant = try await client.createTenant()
            var ids: [String] = []
            for index in 0..<3 {
                let (_, answer) = try await client.importRows(tenant, ndjson(2, from: index * 10) + "{\"bad\n")
                ids.append(try #require(answer["id"] as? String))
            }
            let (status, first) = try await client.send(.get, "/v1/imports?limit=2", tenant)
            #expect(status == .ok)
            let page = try #require(first["data"] as? [[String: Any]])
            #expect(page.compactMap { $0["id"] as? String } == [ids[2], ids[1]])
            #expect(page.allSatisfy { $0["errors"] == nil && $0["rows_failed"] as? Int == 1 && $0["status"] as? String == "completed" })
            let cursor = try #require(first["next_cursor"] as? String)
            let (_, second) = try await client.send(.get, "/v1/imports?limit=2&cursor=\(cursor)", tenant)
            #expect((second["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [ids[0]])
            #expect(second["next_cursor"] is NSNull)

            let (_, completed) = try await client.send(.get, "/v1/imports?status=completed", tenant)
            #expect((completed["data"] as? [Any])?.count == 3)
            let (_, running) = try await client.send(.get, "/v1/imports?status=running", tenant)
            #expect((running["data"] as? [Any])?.isEmpty == true)
            let (bad, _) = try await client.send(.get, "/v1/imports?status=paused", tenant)
            #expect(bad == .badRequest)
            // The import itself still has its errors.
            let (_, one) = try await client.send(.get, "/v1/imports/\(ids[0])", tenant)
            #expect((one["errors"] as? [Any])?.count == 1)
        }
    }

    @Test func aTenantCanNeitherSeeNorCancelAnotherTenantsImport() async throws {
        try await withTestDatabase { database in
            let owner = try await TestTenant.make("Owner", in: database)
            let other = try await TestTenant.make("Other", in: database)
            let fed = try await FedImport.start(owner, in: database)
            fed.send(ndjson(10))
            let path = "/v1/imports/\(fed.id.lowercasedText)"

            try await withAPI { client in
                let (listed, list) = try await client.send(.get, "/v1/imports", other.created)
                #expect(listed == .ok)
                #expect((list["data"] as? [Any])?.isEmpty == true)
                let (read, _) = try await client.send(.get, path, other.created)
                #expect(read == .notFound)
                let (cancelled, _) = try await client.send(.post, "\(path)/cancel", other.created)
                #expect(cancelled == .notFound)
                let (ownerList, mine) = try await client.send(.get, "/v1/imports", owner.created)
                #expect(ownerList == .ok)
                #expect((mine["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [fed.id.lowercasedText])
            }

            // Below the API, row-level security: the other tenant's transaction sees no import
            // and changes none, even with SQL that forgets its tenant filter.
            let (cancel, seen, changed, beat) = try await database.withTenant(other.tenant.id, logger: TestDatabase.logger) { session in
                let cancel = try await session.importCancel(id: fed.id)
                var seen = 0, changed = 0
                for try await count in try await session.connection.query("SELECT count(*)::int FROM imports", logger: TestDatabase.logger).decode(Int.self) {
                    seen = count
                }
                let update = try await session.connection.query(
                    "UPDATE imports SET status = 'cancelled' WHERE id = \(fed.id) RETURNING 1", logger: TestDatabase.logger)
                for try await _ in update { changed += 1 }
                return (cancel, seen, changed, try await session.importHeartbeat(id: fed.id))
            }
            #expect(cancel == .notFound)
            #expect(seen == 0)
            #expect(changed == 0)
            #expect(beat == false)

            fed.upload.finish()
            let final = try await fed.running.value
            #expect(final.status == .completed)
            #expect(final.rowsOK == 10)
        }
    }
}

extension TestTenant {
    /// The same tenant as the HTTP tests' helpers take it.
    var created: CreatedTenant {
        CreatedTenant(id: tenant.id.lowercasedText, adminKey: adminKey.token, adminKeyID: adminKey.key.id.lowercasedText)
    }
}
