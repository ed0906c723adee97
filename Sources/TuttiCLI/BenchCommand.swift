import ArgumentParser

/// `tutti bench`: measurements driven by the ops/bench-* scripts. They write to the database
/// they are pointed at; never run them against one that matters.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks (they write to the database: use a throwaway one).",
        subcommands: [BenchQueueCommand.self])
}
