import ArgumentParser
import Foundation
import ShrikeAnalyze
import ShrikeCore
import ShrikeImage

struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Show what wastes space in an image, in which layer, and how to fix it.",
        discussion: """
        TARGET is any image target (docker-archive:, oci-dir:, oci-archive:, registry:) or dir:PATH (largest files, \
        directories and caches only: a directory has no layers). --ci checks the thresholds of .shrike-analyze.yaml \
        or dive's .dive-ci in the working directory (or --ci-config FILE), overridden by the flags, and exits 1 \
        naming each failed rule. See docs/analyze.md.
        """
    )

    @Argument(help: "The image or root file system to read.")
    var target: String

    @Option(name: [.customShort("o"), .customLong("output")], help: "Output format: table, json, html.")
    var format: AnalyzeFormat = .table

    @Option(name: .customLong("file"), help: "Write the output to this file instead of standard output.")
    var file: String?

    @Option(name: .customLong("base"), help: "auto (from the history) or an image target whose layers are the base.")
    var base: String = "auto"

    @Flag(name: .customLong("ci"), help: "Check the CI thresholds; exit 1 when one fails.")
    var ci = false

    @Option(name: .customLong("ci-config"), help: "CI thresholds file (default: .shrike-analyze.yaml or .dive-ci here).")
    var ciConfig: String?

    @Option(name: .customLong("lowest-efficiency"), help: "Fail --ci below this efficiency (0-1, or 'disabled').")
    var lowestEfficiency: String?

    @Option(name: .customLong("highest-wasted-bytes"), help: "Fail --ci above this many wasted bytes (e.g. 20MB, or 'disabled').")
    var highestWastedBytes: String?

    @Option(name: .customLong("highest-user-wasted-percent"), help: "Fail --ci when your waste is over this ratio of all bytes (0-1).")
    var highestUserWastedPercent: String?

    @OptionGroup var image: ImageOptions

    func run() async throws {
        try await CommandFailure.run {
            let rules = try ciRules()
            let parsed = try TargetParser.parse(target)
            let baseSelection: BaseSelection = base == "auto" ? .auto : .image(try TargetParser.parse(base))
            let options = AnalysisOptions(read: try image.readOptions(selector: nil), base: baseSelection)
            let report = try ImageAnalyzer.analyze(parsed, options: options)
            let output: [UInt8] = switch format {
            case .table: Array(AnalysisTableRenderer.render(report).utf8)
            case .json: try AnalysisJSONRenderer.render(report)
            case .html: Array(try AnalysisHTMLRenderer.render(report).utf8)
            }
            try OutputFile.write(output, to: file)
            guard let rules else { return }
            let verdicts = CIEvaluator.evaluate(report, rules: rules)
            for verdict in verdicts {
                Terminal.write("\(verdict.passed ? "PASS" : "FAIL") \(verdict.rule): \(verdict.message)\n", to: 2)
            }
            if let failed = verdicts.first(where: { !$0.passed }) {
                Terminal.error("analyze --ci failed \(verdicts.filter { !$0.passed }.map(\.rule).joined(separator: ", ")): \(failed.message)")
                throw ExitCode(1)
            }
        }
    }

    /// The CI rules (defaults, then the file, then the flags), or nil without --ci.
    func ciRules() throws -> CIRules? {
        guard ci else { return nil }
        let flags = ["lowestEfficiency": lowestEfficiency, "highestWastedBytes": highestWastedBytes,
                     "highestUserWastedPercent": highestUserWastedPercent].compactMapValues { $0 }
        return try CIConfigFile.resolve(path: ciConfig ?? CIConfigFile.discover(in: FileManager.default.currentDirectoryPath),
                                        flags: flags)
    }
}

enum AnalyzeFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, html
}
