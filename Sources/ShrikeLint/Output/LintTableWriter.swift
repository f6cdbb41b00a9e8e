import ShrikeCore

/// One line per finding, `file:line RULE severity message`, as hadolint's tty format; the file name is escaped for
/// the terminal (a hostile name could carry escape sequences). Nothing at all when there are no findings.
public struct LintTableWriter: Sendable {
    public var useColor: Bool

    public init(useColor: Bool = false) {
        self.useColor = useColor
    }

    public func write(_ findings: [LintFinding]) -> [UInt8] {
        var out = ""
        for finding in findings {
            let level = useColor ? paint(finding.severity) : finding.severity.rawValue
            out += "\(TerminalText.safe(finding.file)):\(finding.line) \(finding.rule) \(level) \(TerminalText.safe(finding.message))\n"
        }
        return Array(out.utf8)
    }

    private func paint(_ severity: LintSeverity) -> String {
        let code = switch severity {
        case .error: "31"
        case .warning: "33"
        case .info: "36"
        case .style, .ignore: "2"
        }
        return "\u{1b}[\(code)m\(severity.rawValue)\u{1b}[0m"
    }
}
