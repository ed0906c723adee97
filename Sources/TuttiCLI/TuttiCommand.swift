import Foundation
import ArgumentParser

/// `tutti`, the administrator's command line: migrations, tenants, keys, rules and channel keys.
public struct TuttiCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tutti",
        abstract: "Administer a Tutti installation (configured by the same TUTTI_* variables as the servers).",
        subcommands: [MigrateCommand.self, TenantCommand.self, KeyCommand.self, RulesCommand.self, ChannelCommand.self, BenchCommand.self])

    public init() {}
}
