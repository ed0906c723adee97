import ArgumentParser
import Logging
import TuttiCLI

/// The `tutti` executable: hands the command line to ``TuttiCommand``.
@main
struct TuttiMain {
    static func main() async {
        // Standard output carries the command's answer (JSON with --json); logs go to stderr.
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        await TuttiCommand.main()
    }
}
