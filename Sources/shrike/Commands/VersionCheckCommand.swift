import ArgumentParser
import ShrikeCore
import ShrikeVersions

struct VersionCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a file of \"A <op> B\" lines against an ecosystem's rules.",
        discussion: """
        Each line of FILE is "A <op> B" with op one of <, =, >; blank lines and lines starting with # or // are \
        skipped. Prints each mismatch, then "N passed, M failed"; exits 1 when any line failed.
        """
    )

    @Argument(help: "The ecosystem whose rules apply.")
    var ecosystem: String

    @Argument(help: "The file of expected orderings.")
    var file: String

    func run() async throws {
        var failed = false
        try await CommandFailure.run {
            let ecosystem = try Ecosystem(parsing: ecosystem)
            let report = try VersionVectorFile(contentsOf: file).check(with: Versions.comparator(for: ecosystem))
            Terminal.write(report.rendered)
            failed = report.failed > 0
        }
        if failed { throw ExitCode(1) }
    }
}
