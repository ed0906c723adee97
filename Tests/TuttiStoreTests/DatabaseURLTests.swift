import Foundation
import PostgresNIO
import Testing
import TuttiStore
import TuttiTestSupport

@Suite("Database URLs")
struct DatabaseURLTests {
    @Test func aLoopbackHostGoesWithoutTLSAndARemoteOneAsksForIt() throws {
        let local = try DatabaseURL("postgres://tutti_app:secret@127.0.0.1:6543/tutti")
        #expect(local.host == "127.0.0.1" && local.port == 6543 && local.database == "tutti" && local.socketDirectory == nil)
        #expect(local.sslMode == .disable)
        #expect(try DatabaseURL("postgres://tutti_app:secret@db.example.com/tutti").sslMode == .prefer)
    }

    @Test func aHostParameterStartingWithASlashNamesTheUnixSocketFolder() throws {
        let url = try DatabaseURL("postgres://tutti_app:secret@/tutti?host=/run/postgresql&port=6543")
        #expect(url.socketDirectory == "/run/postgresql")
        #expect(url.socketPath == "/run/postgresql/.s.PGSQL.6543")
        #expect(url.sslMode == .disable)
        #expect(url.username == "tutti_app" && url.password == "secret" && url.database == "tutti")
        #expect(url.description == "postgres://tutti_app:***@/tutti?host=/run/postgresql&port=6543")
    }

    @Test func theConnectionStringParsesBackToTheSameURL() throws {
        for text in [
            "postgres://tutti_app:s%40cret@127.0.0.1:6543/tutti",
            "postgres://tutti_app:s%40cret@/tutti?host=/tmp/tutti%20pg&port=6543",
        ] {
            let url = try DatabaseURL(text)
            #expect(try DatabaseURL(url.connectionString) == url, "\(text)")
        }
    }

    @Test func requireTLSOverAUnixSocketIsRefused() {
        #expect(throws: ConfigurationError.self) {
            try DatabaseURL("postgres://tutti_app@/tutti?host=/run/postgresql&sslmode=require")
        }
        #expect(throws: ConfigurationError.self) {
            try DatabaseURL("postgres://tutti_app@/tutti?host=/run/postgresql&port=http")
        }
    }

    /// ops/test exports the test cluster's socket folder; the server reports no client
    /// address for a unix socket connection, so this proves the socket was used.
    @Test func connectsThroughTheServersUnixSocket() async throws {
        let folder = try #require(
            ProcessInfo.processInfo.environment["TUTTI_TEST_SOCKET_DIR"].flatMap { $0.isEmpty ? nil : $0 },
            "TUTTI_TEST_SOCKET_DIR is not set: run the tests with ops/test")
        let admin = try TestDatabase.adminURL()
        var url = admin
        url.socketDirectory = folder
        url.sslMode = .disable
        let overSocket = try await TestDatabase.withConnection(url) { connection in
            var rows: [Bool] = []
            for try await isSocket in try await connection.query("SELECT inet_client_addr() IS NULL", logger: TestDatabase.logger).decode(Bool.self) {
                rows.append(isSocket)
            }
            return rows
        }
        #expect(overSocket == [true])
    }
}

@Suite("Database URLs, printed")
struct DatabaseURLPrintingTests {
    @Test func aSocketURLPrintsInsideOtherValues() throws {
        let url = try DatabaseURL("postgres://tutti_app:secret@/tutti?host=/run/postgresql&port=6543")
        #expect("\([url])" == "[postgres://tutti_app:***@/tutti?host=/run/postgresql&port=6543]")
    }
}
