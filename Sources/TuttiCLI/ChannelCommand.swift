import ArgumentParser
import Foundation
import TuttiRuntime
import TuttiStore

/// `tutti channels reencrypt`: the middle step of a channel key rotation (docs/channels.md).
struct ChannelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channels", abstract: "Maintain channel configurations.", subcommands: [Reencrypt.self])

    struct Reencrypt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-seal every channel's credentials under the first key of TUTTI_CHANNEL_KEYS.",
            discussion: """
                Run after putting a new key first in TUTTI_CHANNEL_KEYS (keeping the old one after it) \
                and restarting the processes; once it reports 0 left, the old key can be removed. \
                Safe to run again: channels already sealed under the first key are skipped.
                """)

        func run() async throws {
            let context = try CLIContext.make()
            let keyring = context.configuration.channelKeys
            let logger = context.logger
            if keyring.isDevelopment {
                print("warning: TUTTI_CHANNEL_KEYS is not set; sealing under the public development key")
            }
            let (tenants, resealed) = try await context.withDatabase { database in
                let tenants = try await database.tenantIDs(logger: logger)
                var resealed = 0
                for tenant in tenants {
                    // One transaction per tenant: a failure leaves the others done, and a rerun finishes.
                    resealed += try await database.withTenant(tenant, logger: logger) {
                        try await $0.channelReencrypt(keyring: keyring)
                    }
                    // The tenant's link key (unsubscribe and preference links) is sealed the same way.
                    resealed += try await database.withTenant(tenant, logger: logger) {
                        try await $0.linkKeyReencrypt(keyring: keyring)
                    }
                }
                return (tenants.count, resealed)
            }
            print("Re-sealed \(resealed) channel(s) and link key(s) of \(tenants) tenant(s) under key \"\(keyring.current.id)\".")
        }
    }
}
