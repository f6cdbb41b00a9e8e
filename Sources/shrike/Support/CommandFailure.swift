import ArgumentParser
import Foundation
import ShrikeCore

/// Maps library errors to the CLI contract: one line on stderr, exit 2 for usage and input errors.
enum CommandFailure {
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ShrikeError {
            Terminal.error(error.description)
            throw ExitCode(exitCode(for: error.code))
        }
    }

    static func exitCode(for code: ShrikeError.Code) -> Int32 {
        // Every library error is about the input or the invocation; failed checks exit 1 through their own paths.
        2
    }
}
