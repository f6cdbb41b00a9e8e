import Foundation
import Logging

enum Diagnostics {
    /// Sends swift-log output to stderr, warnings and worse unless SHRIKE_LOG_LEVEL says otherwise.
    static func bootstrap() {
        let level = ProcessInfo.processInfo.environment["SHRIKE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
