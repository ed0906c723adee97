import Foundation
import PostgresNIO
import ServiceLifecycle
import Testing
import TuttiDomain
import TuttiStore
import TuttiTestSupport

@testable import TuttiAPI

@Suite("Impression recorder")
struct ImpressionRecorderTests {
    /// Decisions buffered when the process is told to stop are written before the recorder
    /// returns (docs/decisions.md, "Shutdown").
    @Test func whatIsBufferedAtGracefulShutdownIsWritten() async throws {
        try await withTestDatabase { database in
            let tenantID = try await TestTenant.make(in: database).tenant.id
            let recorder = ImpressionRecorder(database: database, logger: TestDatabase.logger)
            let placementID = UUID.v7()
            let ids = (0..<50).map { _ in UUID.v7() }
            for id in ids {
                recorder.append(
                    DecisionRecord(
                        id: id, customerID: nil, anonymousID: "visitor", placementID: placementID, placementName: "hero",
                        channel: .web, shown: [], decidedAt: Date()),
                    tenantID: tenantID)
            }
            let group = ServiceGroup(
                services: [recorder], gracefulShutdownSignals: [], cancellationSignals: [], logger: TestDatabase.logger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            let written = try await database.withTenant(tenantID, logger: TestDatabase.logger) { session in
                let rows = try await session.connection.query(
                    "SELECT count(*)::int8 FROM decisions WHERE tenant_id = \(tenantID) AND id = ANY(\(ids)::uuid[])",
                    logger: TestDatabase.logger)
                for try await count in rows.decode(Int.self) { return count }
                return 0
            }
            #expect(written == ids.count)
        }
    }
}
