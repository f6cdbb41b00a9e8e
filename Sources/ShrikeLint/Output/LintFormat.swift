/// The formats `shrike lint -o` writes; raw values are the CLI's spellings.
public enum LintFormat: String, Sendable, CaseIterable {
    case table, json, sarif

    /// The bytes of `findings` in this format (UTF-8, ending with a newline). `useColor` only affects `table`.
    public func write(_ findings: [LintFinding], toolVersion: String, useColor: Bool = false) throws -> [UInt8] {
        switch self {
        case .table: LintTableWriter(useColor: useColor).write(findings)
        case .json: try LintJSONWriter().write(findings)
        case .sarif: try LintSARIFWriter(toolVersion: toolVersion).write(findings)
        }
    }
}
