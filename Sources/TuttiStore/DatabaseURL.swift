import Foundation
import NIOSSL
import PostgresNIO

/// A parsed `postgres://user:password@host:port/database?sslmode=…` connection string.
///
/// `sslmode` takes `disable`, `prefer` or `require` (the last verifies the server certificate).
/// Without it, loopback hosts use `disable` and every other host `prefer`, as a private cluster
/// on 127.0.0.1 has no certificate while a remote server should be asked for TLS.
///
/// As in libpq, a `host` query parameter that starts with `/` names the folder of the server's
/// unix socket (`postgres://tutti_app:pw@/tutti?host=/run/postgresql&port=5432` connects to
/// `/run/postgresql/.s.PGSQL.5432`), without TLS. When PostgreSQL runs on the same machine the
/// socket costs both sides less per round trip than loopback TCP.
public struct DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    public enum SSLMode: String, Sendable { case disable, prefer, require }

    public var host: String
    /// The folder of the server's unix socket, when connecting through one instead of TCP.
    public var socketDirectory: String?
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode

    /// Parses `text`, naming `variable` (the environment variable it came from) in any error.
    public init(_ text: String, variable: String = "database URL") throws(ConfigurationError) {
        guard let components = URLComponents(string: text),
            components.scheme == "postgres" || components.scheme == "postgresql"
        else {
            throw ConfigurationError(variable: variable, message: "must be a postgres:// URL")
        }
        let query = components.queryItems ?? []
        let hostParameter = query.first(where: { $0.name == "host" })?.value
        let socketDirectory = hostParameter.flatMap { $0.hasPrefix("/") ? $0 : nil }
        guard let host = socketDirectory == nil ? (hostParameter ?? components.host) : "", !host.isEmpty || socketDirectory != nil else {
            throw ConfigurationError(variable: variable, message: "has no host")
        }
        var port = components.port ?? 5432
        if let text = query.first(where: { $0.name == "port" })?.value {
            guard let value = Int(text), (1...65535).contains(value) else {
                throw ConfigurationError(variable: variable, message: "port must be a number from 1 to 65535")
            }
            port = value
        }
        guard let user = components.user, !user.isEmpty else {
            throw ConfigurationError(variable: variable, message: "has no user name")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else {
            throw ConfigurationError(variable: variable, message: "has no database name")
        }
        self.host = host
        self.socketDirectory = socketDirectory
        self.port = port
        self.username = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
        let loopback = ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host)
        if let mode = query.first(where: { $0.name == "sslmode" })?.value {
            guard let parsed = SSLMode(rawValue: mode) else {
                throw ConfigurationError(variable: variable, message: "sslmode must be disable, prefer or require")
            }
            if socketDirectory != nil && parsed == .require {
                throw ConfigurationError(variable: variable, message: "sslmode=require cannot be met over a unix socket (host=/…)")
            }
            self.sslMode = socketDirectory == nil ? parsed : .disable
        } else {
            self.sslMode = loopback || socketDirectory != nil ? .disable : .prefer
        }
    }

    /// `socketDirectory/.s.PGSQL.port`, PostgreSQL's name for its socket.
    public var socketPath: String? {
        socketDirectory.map { "\($0)/.s.PGSQL.\(port)" }
    }

    /// The URL with the password masked, safe for logs.
    public var description: String {
        let credentials = "\(username)\(password == nil ? "" : ":***")"
        if let socketDirectory { return "postgres://\(credentials)@/\(database)?host=\(socketDirectory)&port=\(port)" }
        return "postgres://\(credentials)@\(host):\(port)/\(database)"
    }

    /// The whole URL, password included, for handing to a child process. Never log it.
    public var connectionString: String {
        let allowed = CharacterSet.urlUserAllowed.subtracting(CharacterSet(charactersIn: ":@/"))
        let user = username.addingPercentEncoding(withAllowedCharacters: allowed) ?? username
        let secret = password.map { ":" + ($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0) } ?? ""
        if let socketDirectory {
            let folder = socketDirectory.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+"))) ?? socketDirectory
            return "postgres://\(user)\(secret)@/\(database)?host=\(folder)&port=\(port)&sslmode=disable"
        }
        return "postgres://\(user)\(secret)@\(host):\(port)/\(database)?sslmode=\(sslMode.rawValue)"
    }

    /// The same server and credentials, another database (tests make one per run).
    public func with(database: String) -> DatabaseURL {
        var copy = self
        copy.database = database
        return copy
    }

    /// The same server and database, another role.
    public func with(username: String, password: String?) -> DatabaseURL {
        var copy = self
        copy.username = username
        copy.password = password
        return copy
    }

    var tls: PostgresClient.Configuration.TLS {
        switch sslMode {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
    }

    /// Configuration for a pooled client that keeps `minimumConnections` open (at most
    /// `maximumConnections`) and opens the rest on demand.
    ///
    /// A demand connection gets an idle-timeout timer every time it goes back to the pool, and
    /// loses it when leased again: a task, a dispatch timer and its cancellation per query. The
    /// minimum connections carry no timer, so a process whose concurrency fits in them pays
    /// nothing (`ops/bench-lookup 20 4`: 40 µs of the API's CPU per lookup, and the API's RSS
    /// stayed at 58 MB instead of climbing past 150 MB).
    public func clientConfiguration(maximumConnections: Int, minimumConnections: Int = 0) -> PostgresClient.Configuration {
        var configuration =
            if let socketPath {
                PostgresClient.Configuration(unixSocketPath: socketPath, username: username, password: password, database: database)
            } else {
                PostgresClient.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
            }
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = min(max(minimumConnections, 0), maximumConnections)
        // No keep-alive pings: they would add a timer per release, as above, and a connection
        // that PostgreSQL or a proxy drops is replaced by the pool when a query fails on it.
        configuration.options.keepAliveBehavior = nil
        return configuration
    }

    /// Configuration for one dedicated connection (migrations, start-up checks).
    public var connectionConfiguration: PostgresConnection.Configuration {
        get throws {
            let tls: PostgresConnection.Configuration.TLS =
                switch sslMode {
                case .disable: .disable
                case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
                case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
                }
            if let socketPath {
                return PostgresConnection.Configuration(unixSocketPath: socketPath, username: username, password: password, database: database)
            }
            return PostgresConnection.Configuration(
                host: host, port: port, username: username, password: password, database: database, tls: tls)
        }
    }
}
