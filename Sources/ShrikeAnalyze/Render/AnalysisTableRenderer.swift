import ShrikeCore

/// `shrike analyze` for a terminal: summary, layers, findings with their fixes, the largest waste and duplicates.
///
/// Every path and command comes from the image and passes through `TerminalText.safe` (an escape sequence in a file
/// name must not rewrite the terminal).
public enum AnalysisTableRenderer {
    public static func render(_ report: AnalysisReport, rows: Int = 10) -> String {
        let s = TerminalText.safe
        var out = ""
        func line(_ text: String = "") { out += text + "\n" }
        line("\(s(report.source.type)):\(s(report.source.path))" + (report.distro.map { "  (\(s($0)) \(s(report.distroVersion ?? "")))" } ?? ""))
        if let summary = report.summary {
            line("efficiency \(percent(summary.efficiency))   total \(ByteFormat.human(summary.totalBytes))   visible \(ByteFormat.human(summary.visibleBytes))   wasted \(ByteFormat.human(summary.wastedBytes)) (yours \(ByteFormat.human(summary.userWastedBytes)), base \(ByteFormat.human(summary.baseWastedBytes)))")
            line("base: \(baseText(report.base))")
            line()
            line("LAYER  SIZE       ADDED  MOD   DEL   WASTED-BY  COMMAND")
            for layer in report.layers {
                let removedHere = report.waste.filter { $0.removedBy == layer.index }.reduce(Int64(0)) { $0 + $1.bytes }
                let mark = layer.inBase ? "b" : " "
                line(TerminalText.fit("\(layer.index)\(mark)", 6) + " " + TerminalText.fit(ByteFormat.human(layer.contentBytes), 10) + " "
                     + TerminalText.fit("\(layer.added)", 6) + " " + TerminalText.fit("\(layer.modified)", 5) + " "
                     + TerminalText.fit("\(layer.deleted)", 5) + " " + TerminalText.fit(removedHere > 0 ? ByteFormat.human(removedHere) : "-", 10) + " "
                     + s(ByteFormat.shortCommand(layer.createdBy ?? "")))
            }
        } else {
            line("\(report.finalFiles) files, \(ByteFormat.human(report.finalBytes)) (a directory: no layers, so no waste to count)")
        }
        line()
        if report.findings.isEmpty {
            line("findings: none")
        } else {
            line("FINDINGS (bytes at stake, largest first)")
            for finding in report.findings {
                line("  \(TerminalText.fit(ByteFormat.human(finding.bytes), 9)) \(finding.kind.rawValue)\(finding.inBase ? " (base)" : ""): \(s(finding.title))")
                line("            fix: \(s(finding.fix))")
                for path in finding.paths.prefix(3) { line("            \(s(path))") }
            }
        }
        if !report.waste.isEmpty {
            line()
            line("WASTE (path, bytes, added by → removed by)")
            for item in report.waste.prefix(rows) {
                line("  \(TerminalText.fit(ByteFormat.human(item.bytes), 9)) \(TerminalText.fit(item.cause.rawValue, 24)) \(item.addedBy) → \(item.removedBy)  \(s(item.path))\(item.files > 1 ? " (\(item.files) files)" : "")")
            }
            if report.waste.count > rows { line("  … \(report.waste.count - rows) more in -o json") }
        }
        if !report.duplicates.isEmpty {
            line()
            line("DUPLICATES (same content under several paths; not counted as waste)")
            for group in report.duplicates.prefix(rows) {
                line("  \(TerminalText.fit(ByteFormat.human(group.reclaimableBytes), 9)) \(group.count) × \(ByteFormat.human(group.size)): \(group.paths.prefix(3).map(s).joined(separator: ", "))")
            }
        }
        line()
        line("LARGEST FILES")
        for file in report.largestFiles.prefix(rows) {
            line("  \(TerminalText.fit(ByteFormat.human(file.size), 9)) \(s(file.path))\(file.layer.map { "  (layer \($0))" } ?? "")")
        }
        line("LARGEST DIRECTORIES")
        for directory in report.largestDirectories.prefix(rows) {
            line("  \(TerminalText.fit(ByteFormat.human(directory.size), 9)) \(s(directory.path))  (\(directory.files) files)")
        }
        for note in report.truncated { line("note: \(s(note))") }
        return out
    }

    static func percent(_ ratio: Double) -> String {
        let value = (ratio * 1000).rounded() / 10
        return "\(value) %"
    }

    static func baseText(_ base: BaseImageReport) -> String {
        switch base.method {
        case .none: "not detected (every layer counts as yours; pass --base IMAGE to say which)"
        case .diffIDs: "\(base.layerCount) layer(s) shared with \(TerminalText.safe(base.evidence ?? "--base")), \(ByteFormat.human(base.bytes))"
        case .historyBoundary: "\(base.layerCount) layer(s), \(ByteFormat.human(base.bytes)), up to `\(TerminalText.safe(ByteFormat.shortCommand(base.evidence ?? "")))` in the history"
        case .rootFileSystemLayer: "layer 0 (a root file system ADD), \(ByteFormat.human(base.bytes))"
        }
    }
}
