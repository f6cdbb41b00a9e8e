#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Decides whether alert lines may be coloured: only on a terminal, and never when `NO_COLOR` is set.
public enum AlertColorPolicy {
    /// True when `fd` is a terminal and `NO_COLOR` is absent from `environment` (any value, even empty, turns colour
    /// off, as `Terminal.useColor` does for the rest of the CLI).
    public static func useColor(fd: Int32 = 1,
                                environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        useColor(isTerminal: isatty(fd) == 1, environment: environment)
    }

    /// The rule itself, for callers (and tests) that already know whether the output is a terminal.
    public static func useColor(isTerminal: Bool, environment: [String: String]) -> Bool {
        isTerminal && environment["NO_COLOR"] == nil
    }
}
