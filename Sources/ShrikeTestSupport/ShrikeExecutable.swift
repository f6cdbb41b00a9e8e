import Foundation

/// Finds the built `shrike` executable for tests that run it as a user would.
public enum ShrikeExecutable {
    /// `$SHRIKE_BINARY`, else the one next to the test bundle (`swift build --build-tests` puts it in
    /// `.build/<triple>/debug`), else `<repo>/.build/debug/shrike`; nil when none was built.
    public static let path: String? = {
        var candidates: [String] = []
        if let override = ProcessInfo.processInfo.environment["SHRIKE_BINARY"] { candidates.append(override) }
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("shrike").path)
        }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("shrike").path)
        candidates.append(RepositoryFiles.path(".build/debug/shrike"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
}
