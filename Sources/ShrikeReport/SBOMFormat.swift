import Foundation

/// The formats `shrike sbom -o` writes; raw values are the CLI's spellings.
public enum SBOMFormat: String, Sendable, CaseIterable {
    case table
    case json
    case cyclonedxJSON = "cyclonedx-json"
    case spdxJSON = "spdx-json"

    /// A writer for this format using the real clock and random document ids.
    ///
    /// `useColor` only affects `table` (pass true only when writing to a terminal that wants colour).
    public func writer(useColor: Bool = false) -> any SBOMWriter {
        switch self {
        case .table: SBOMTableWriter(useColor: useColor)
        case .json: SBOMJSONWriter()
        case .cyclonedxJSON: CycloneDXWriter()
        case .spdxJSON: SPDXWriter()
        }
    }
}
