import Foundation
import NIOSSL
import PostgresNIO

/// A parsed `postgres://user:password@host:port/database?sslmode=…` connection string.
///
/// `sslmode` takes `disable`, `prefer` or `require` (the last verifies the server certificate).
/// Without it, loopback hosts use `disable` and every other host `prefer`, as a private cluster
/// on 127.0.0.1 has no certificate while a remote server should be asked for TLS.
public struct DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    public enum SSLMode: String, Sendable { case disable, prefer, require }

    public var host: String
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
        guard let host = components.host, !host.isEmpty else {
            throw ConfigurationError(variable: variable, message: "has no host")
        }
        guard let user = components.user, !user.isEmpty else {
            throw ConfigurationError(variable: variable, message: "has no user name")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else {
            throw ConfigurationError(variable: variable, message: "has no database name")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
        let loopback = ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host)
        if let mode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value {
            guard let parsed = SSLMode(rawValue: mode) else {
                throw ConfigurationError(variable: variable, message: "sslmode must be disable, prefer or require")
            }
            self.sslMode = parsed
        } else {
            self.sslMode = loopback ? .disable : .prefer
        }
    }

    /// The URL with the password masked, safe for logs.
    public var description: String {
        "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)"
    }

    /// The whole URL, password included, for handing to a child process. Never log it.
    public var connectionString: String {
        let allowed = CharacterSet.urlUserAllowed.subtracting(CharacterSet(charactersIn: ":@/"))
        let user = username.addingPercentEncoding(withAllowedCharacters: allowed) ?? username
        let secret = password.map { ":" + ($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0) } ?? ""
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

    /// Configuration for a pooled client.
    public func clientConfiguration(maximumConnections: Int) -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = 0
        // No keep-alive pings: every connection is a demand connection (minimum 0) and closes
        // after a minute idle, so a ping every 30 s would reach it once at most. Yet the pool
        // schedules a keep-alive timer each time a connection goes back idle, a task and a
        // dispatch timer per query: a measurable part of the API's CPU per lookup.
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
            return PostgresConnection.Configuration(
                host: host, port: port, username: username, password: password, database: database, tls: tls)
        }
    }
}
