import TuttiAPI
import TuttiRuntime

await TuttiProcess.main(label: "tutti-api") { configuration, logger in
    [try await buildApplication(configuration: configuration, logger: logger)]
}
