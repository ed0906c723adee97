import Crypto
import Foundation

/// One numbered SQL file from `sql/`: `NNNN_description.sql`, applied once, in order.
public struct Migration: Sendable, Equatable {
    public var version: Int
    public var name: String
    public var sql: String
    /// Hex SHA-256 of the file's bytes, recorded when applied; a file that changes afterwards is
    /// refused, because the database would no longer match what the file says.
    public var checksum: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
        self.checksum = SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    public var fileName: String { String(format: "%04d_%@.sql", version, name) }
}

/// The migrations a build knows, read from a folder of numbered SQL files.
public struct MigrationCatalog: Sendable {
    public var migrations: [Migration]

    public init(migrations: [Migration]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Reads every `NNNN_name.sql` file in `directory`, refusing anything ambiguous.
    public static func load(directory: URL) throws(MigrationError) -> MigrationCatalog {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw .unreadableDirectory(directory.path)
        }
        var migrations: [Migration] = []
        for fileName in names.sorted() where fileName.hasSuffix(".sql") {
            let stem = fileName.dropLast(4)
            let parts = stem.split(separator: "_", maxSplits: 1)
            guard parts.count == 2, parts[0].count == 4, let version = Int(parts[0]), version > 0,
                parts[1].allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "_" })
            else {
                throw .badFileName(fileName)
            }
            if let clash = migrations.first(where: { $0.version == version }) {
                throw .duplicateVersion(version, clash.fileName, fileName)
            }
            guard let sql = try? String(contentsOf: directory.appendingPathComponent(fileName), encoding: .utf8) else {
                throw .unreadableFile(fileName)
            }
            migrations.append(Migration(version: version, name: String(parts[1]), sql: sql))
        }
        guard !migrations.isEmpty else { throw .noMigrations(directory.path) }
        return MigrationCatalog(migrations: migrations)
    }

    /// Finds the `sql/` folder: `TUTTI_SQL_DIR` when set, else `./sql`, else beside the
    /// executable (`<repo>/.build/<triple>/<config>/` in a checkout, `/app/bin` in the image).
    public static func locateDirectory(configured: String?, executablePath: String) -> URL? {
        if let configured, !configured.isEmpty {
            return URL(fileURLWithPath: configured, isDirectory: true)
        }
        let executableDirectory = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("sql"),
            executableDirectory.appendingPathComponent("../../../sql"),
            executableDirectory.appendingPathComponent("../sql"),
        ]
        return candidates.first { candidate in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory) && isDirectory.boolValue
        }?.standardizedFileURL
    }
}
