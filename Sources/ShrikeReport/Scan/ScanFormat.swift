/// The formats `shrike scan -o` writes; raw values are the CLI's spellings.
public enum ScanFormat: String, Sendable, CaseIterable {
    case table
    case json
    case sarif
    case cyclonedxJSON = "cyclonedx-json"

    /// A writer for this format (real clock and random serial number for CycloneDX).
    ///
    /// `useColor` only affects `table` (pass true only when writing to a terminal that wants colour).
    public func writer(useColor: Bool = false) -> any ScanWriter {
        switch self {
        case .table: ScanTableWriter(useColor: useColor)
        case .json: ScanJSONWriter()
        case .sarif: SARIFWriter()
        case .cyclonedxJSON: ScanCycloneDXWriter()
        }
    }
}

/// Turns a `ScanReport` into the bytes of one output format: UTF-8, ending with a newline. Deterministic except
/// for the timestamp and serial number CycloneDX requires.
public protocol ScanWriter: Sendable {
    func write(_ report: ScanReport) throws -> [UInt8]
}
