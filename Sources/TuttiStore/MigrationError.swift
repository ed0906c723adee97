/// Why migrations cannot be applied or why a process must not start; each says what to do.
public enum MigrationError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadableDirectory(String)
    case noMigrations(String)
    case badFileName(String)
    case duplicateVersion(Int, String, String)
    case unreadableFile(String)
    /// An applied migration's file no longer has the checksum recorded when it was applied.
    case changedAfterApplied(version: Int, fileName: String, recorded: String, current: String)
    /// A statement failed; the migration's transaction was rolled back.
    case statementFailed(fileName: String, line: Int, message: String)
    /// Migrations are pending: the process refuses to run against an old schema.
    case pending([String])
    /// The application role named in the database URL does not exist.
    case missingApplicationRole(String)
    case invalidRoleName(String)

    public var description: String {
        switch self {
        case .unreadableDirectory(let path):
            "cannot read the migrations folder \(path); set TUTTI_SQL_DIR to the repository's sql/ folder"
        case .noMigrations(let path):
            "no NNNN_name.sql files in \(path); set TUTTI_SQL_DIR to the repository's sql/ folder"
        case .badFileName(let name):
            "\(name) is not named NNNN_lowercase_name.sql"
        case .duplicateVersion(let version, let first, let second):
            "\(first) and \(second) both claim version \(version)"
        case .unreadableFile(let name):
            "cannot read \(name) as UTF-8"
        case .changedAfterApplied(let version, let fileName, let recorded, let current):
            "migration \(version) (\(fileName)) was changed after it was applied (recorded checksum \(recorded.prefix(12))…, file now \(current.prefix(12))…); restore the file and put the change in a new migration"
        case .statementFailed(let fileName, let line, let message):
            "\(fileName), statement at line \(line): \(message); nothing of this migration was applied"
        case .pending(let names):
            "the database schema is behind this build: \(names.count) migration(s) pending (\(names.joined(separator: ", "))); run `tutti migrate` first"
        case .missingApplicationRole(let role):
            "the application role \(role) (the user in TUTTI_DATABASE_URL) does not exist; create it (LOGIN, NOBYPASSRLS, not the owner) and run `tutti migrate` again"
        case .invalidRoleName(let role):
            "\(role) is not a plain role name (letters, digits and underscores)"
        }
    }
}
