import ShrikeCore

/// `shrike analyze -o json`: the `AnalysisReport` with Shrike's JSON conventions (sorted keys, bytes as integers).
public enum AnalysisJSONRenderer {
    public static func render(_ report: AnalysisReport) throws -> [UInt8] {
        try JSONOutput.encode(report, format: "json")
    }
}
