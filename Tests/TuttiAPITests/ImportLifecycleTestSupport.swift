import Foundation
import Hummingbird
import PostgresNIO
import Testing
import TuttiDomain
import TuttiStore
import TuttiTestSupport

@testable import TuttiAPI

/// An import run by ``ImportRunner`` from a body the test feeds part by part, as a slow client
/// would send it (the in-process HTTP client sends whole bodies only).
struct FedImport: Sendable {
    let database: Database
    let principal: Principal
    let id: UUID
    let upload: AsyncThrowingStream<ByteBuffer, any Error>.Continuation
    let running: Task<ImportRecord, any Error>

    /// Records a running import for `tenant` and starts its runner on an empty body.
    static func start(_ tenant: TestTenant, in database: Database, heartbeatInterval: Duration = .seconds(10)) async throws -> FedImport {
        let principal = Principal(tenantID: tenant.tenant.id, keyID: tenant.adminKey.key.id, role: .admin)
        let id = UUID.v7()
        _ = try await database.withTenant(principal.tenantID, logger: TestDatabase.logger) { session in
            try await session.importInsert(id: id, format: .ndjson, source: nil)
        }
        let (body, upload) = AsyncThrowingStream<ByteBuffer, any Error>.makeStream()
        var runner = ImportRunner(
            database: database, principal: principal, importID: id, identitySource: "import:test", requestID: nil, logger: TestDatabase.logger)
        runner.heartbeatInterval = heartbeatInterval
        let running = Task { [runner] in
            var reader = ImportBodyReader(body: body, parser: ImportParser(format: .ndjson, defaultCountry: nil), limit: 1 << 30)
            let first = try #require(try await reader.next())
            return try await runner.run(first: first, reader: &reader)
        }
        return FedImport(database: database, principal: principal, id: id, upload: upload, running: running)
    }

    func send(_ text: String) { upload.yield(ByteBuffer(string: text)) }

    var stored: StoredImport { StoredImport(database: database, tenantID: principal.tenantID, id: id) }

    func record() async throws -> ImportRecord? { try await stored.record() }

    func age(heartbeatBy seconds: Int) async throws { try await stored.age(heartbeatBy: seconds) }

    /// Polls the import until `condition` holds (60 s at most) and returns the last record read.
    @discardableResult
    func wait(until condition: (ImportRecord) -> Bool) async throws -> ImportRecord {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            let seen = try #require(try await record())
            if condition(seen) || ContinuousClock.now >= deadline { return seen }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// An import known by its row alone (whether or not anything runs it), to read and to age.
struct StoredImport: Sendable {
    let database: Database
    let tenantID: UUID
    let id: UUID

    func record() async throws -> ImportRecord? {
        try await database.withTenant(tenantID, logger: TestDatabase.logger) { try await $0.importGet(id: id) }
    }

    /// Moves the import's last heartbeat `seconds` into the past, as if its process had been
    /// silent that long.
    func age(heartbeatBy seconds: Int) async throws {
        // Read, then written as a value: Citus refuses `heartbeat_at - interval` (not immutable,
        // with a column) in an UPDATE's SET.
        try await database.withTenant(tenantID, logger: TestDatabase.logger) { session in
            let rows = try await session.connection.query(
                "SELECT heartbeat_at FROM imports WHERE tenant_id = \(tenantID) AND id = \(id) FOR UPDATE",
                logger: TestDatabase.logger)
            var heartbeat: Date?
            for try await value in rows.decode(Date.self) { heartbeat = value }
            guard let heartbeat else { throw TestSetupError("no import \(id)") }
            try await session.connection.query(
                "UPDATE imports SET heartbeat_at = \(heartbeat.addingTimeInterval(-Double(seconds))) WHERE tenant_id = \(tenantID) AND id = \(id)",
                logger: TestDatabase.logger)
        }
    }
}
