import Foundation
import Logging

/// Sets up swift-log for a process: text lines for people, or one JSON object per line for log
/// collectors. Called once, by `main`; library code only ever receives a `Logger`.
public enum TuttiLogging {
    public static func bootstrap(_ options: TuttiConfiguration.LogOptions) {
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                switch options.format {
                case .text: TextLogHandler(label: label)
                case .json: JSONLogHandler(label: label)
                }
            handler.logLevel = options.level
            return handler
        }
    }

    /// A logger for a process's composition root, at the configured level.
    public static func logger(label: String, options: TuttiConfiguration.LogOptions) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = options.level
        return logger
    }
}
