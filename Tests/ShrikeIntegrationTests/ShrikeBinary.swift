import Foundation
import ShrikeTestSupport

/// The built `shrike` executable, run as a user would run it.
enum ShrikeBinary {
    /// The executable: `$SHRIKE_BINARY`, else the one in the test bundle's build directory (`.build/<triple>/debug`),
    /// else `<repo>/.build/debug/shrike`; nil when none was built.
    static let path: String? = ShrikeExecutable.path

    static var isBuilt: Bool { path != nil }

    struct Run: Sendable {
        var status: Int32
        /// False when the process died from a signal (a crash), whatever `status` says.
        var exitedNormally: Bool
        var stdout: [UInt8]
        var stderr: String
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    struct NotBuilt: Error, CustomStringConvertible {
        var description: String { "the shrike executable is not built (swift build)" }
    }

    /// Runs `shrike arguments…` with the test's environment, minus `NO_COLOR` and `TMPDIR` unless given in `environment`.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        guard let path else { throw NotBuilt() }
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = nil
        env["TMPDIR"] = nil
        env.merge(environment) { $1 }
        let raw = try ExternalTool.runCapturingBytes(executable: path, arguments: arguments, environment: env)
        return Run(status: raw.status, exitedNormally: raw.exitedNormally, stdout: raw.stdout, stderr: raw.stderr)
    }

    /// Runs `shrike` under a pseudo-terminal (util-linux `script`), standard error discarded; returns what the
    /// terminal showed.
    static func runOnTerminal(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        guard let path else { throw NotBuilt() }
        // `env` gives the child exactly the NO_COLOR the test asks for, whatever the test runner's environment holds.
        let assignments = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let command = (["env", "-u", "NO_COLOR"] + assignments + [path] + arguments)
            .map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            .joined(separator: " ") + " 2>/dev/null"
        let result = try ExternalTool.run(["script", "-qec", command, "/dev/null"])
        return Run(status: result.status, exitedNormally: true, stdout: Array(result.stdout.utf8), stderr: result.stderr)
    }
}
