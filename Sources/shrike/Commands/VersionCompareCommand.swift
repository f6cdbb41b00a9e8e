import ArgumentParser
import ShrikeCore
import ShrikeVersions

struct VersionCompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Print <, = or > as version A sorts before, equal to or after version B.",
        discussion: "ECOSYSTEM is an OSV ecosystem name (Debian, Alpine, Red Hat, PyPI, ...) or deb, apk, rpm."
    )

    @Argument(help: "The ecosystem whose rules apply.")
    var ecosystem: String

    @Argument(help: "The first version.")
    var a: String

    @Argument(help: "The second version.")
    var b: String

    func run() async throws {
        try await CommandFailure.run {
            let order = try Versions.order(a, b, in: Ecosystem(parsing: ecosystem))
            Terminal.write("\(order.symbol)\n")
        }
    }
}
