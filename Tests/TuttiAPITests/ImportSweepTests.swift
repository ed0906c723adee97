import Foundation
import Testing
import TuttiDomain
import TuttiStore
import TuttiTestSupport

@testable import TuttiAPI

/// The scheduler's sweep of imports whose process stopped. Serialized: these tests age
/// heartbeats and sweep across tenants, so one test's sweep would see another's aged import.
/// (Other suites' imports beat within seconds, far from the five minutes swept here.)
@Suite("Import heartbeat and sweep", .serialized)
struct ImportSweepTests {
    static let stale: Duration = .seconds(300)

    @Test func anImportWhoseProcessStoppedIsMarkedFailedWithItsReason() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make(in: database)
            // Recorded, then nothing: the API process died before its first chunk.
            let id = UUID.v7()
            let record = try await database.withTenant(tenant.tenant.id, logger: TestDatabase.logger) { session in
                try await session.importInsert(id: id, format: .csv, source: "crm")
            }
            let silent = StoredImport(database: database, tenantID: tenant.tenant.id, id: id)
            #expect(try await database.importsFailStale(olderThan: Self.stale, logger: TestDatabase.logger).allSatisfy { $0.id != id })
            try await silent.age(heartbeatBy: 600)

            let swept = try await database.importsFailStale(olderThan: Self.stale, logger: TestDatabase.logger)
            #expect(swept.filter { $0.id == id }.map(\.tenantID) == [tenant.tenant.id])
            let failed = try #require(try await silent.record())
            #expect(failed.status == .failed)
            #expect(failed.finishedAt != nil)
            #expect(failed.reason?.contains("stopped") == true)
            #expect(failed.reason?.contains("Send the file again") == true)
            #expect(record.status == .running)
            // A second sweep (another scheduler) finds nothing more to do.
            #expect(try await database.importsFailStale(olderThan: Self.stale, logger: TestDatabase.logger).allSatisfy { $0.id != id })
        }
    }

    @Test func anImportWaitingForASlowBodyKeepsBeatingAndIsNotSwept() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make(in: database)
            let fed = try await FedImport.start(tenant, in: database, heartbeatInterval: .milliseconds(50))
            fed.send(ndjson(10))  // less than a chunk: nothing is committed while the body waits
            let fresh = try #require(try await fed.record()).heartbeatAt
            try await fed.age(heartbeatBy: 600)
            // Only a beat after the aging can bring the heartbeat past where it was.
            let beaten = try await fed.wait { $0.heartbeatAt > fresh }
            #expect(beaten.heartbeatAt > fresh, "no heartbeat while the body was slow")

            #expect(try await database.importsFailStale(olderThan: Self.stale, logger: TestDatabase.logger).allSatisfy { $0.id != fed.id })
            fed.upload.finish()
            let final = try await fed.running.value
            #expect(final.status == .completed)
            #expect(final.rowsOK == 10)
        }
    }

    @Test func aProcessThatComesBackAfterTheSweepStopsAtItsNextChunk() async throws {
        try await withTestDatabase { database in
            let tenant = try await TestTenant.make(in: database)
            let fed = try await FedImport.start(tenant, in: database)
            fed.send(ndjson(1_500))
            try await fed.wait { $0.rowsTotal == 1_000 }
            try await fed.age(heartbeatBy: 600)
            let swept = try await database.importsFailStale(olderThan: Self.stale, logger: TestDatabase.logger)
            #expect(swept.contains { $0.id == fed.id })

            fed.send(ndjson(1_000, from: 1_500))
            fed.upload.finish()
            await #expect(throws: ImportStopped.self) { try await fed.running.value }
            let final = try #require(try await fed.record())
            #expect(final.status == .failed)
            #expect(final.rowsTotal == 1_000)
            #expect(final.reason?.contains("stopped") == true)
        }
    }
}
