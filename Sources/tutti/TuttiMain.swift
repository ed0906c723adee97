import ArgumentParser
import TuttiCLI

/// The `tutti` executable: hands the command line to ``TuttiCommand``.
@main
struct TuttiMain {
    static func main() async {
        await TuttiCommand.main()
    }
}
