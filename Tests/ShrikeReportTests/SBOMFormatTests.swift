import Testing
@testable import ShrikeReport

@Suite("SBOM output formats")
struct SBOMFormatTests {
    @Test("raw values are the CLI's -o spellings")
    func spellings() {
        #expect(SBOMFormat.allCases.map(\.rawValue) == ["table", "json", "cyclonedx-json", "spdx-json"])
        #expect(SBOMFormat(rawValue: "cyclonedx-json") == .cyclonedxJSON)
        #expect(SBOMFormat(rawValue: "cyclonedx") == nil)
    }

    @Test("each format gets its writer", arguments: [
        (SBOMFormat.table, "SBOMTableWriter"), (.json, "SBOMJSONWriter"), (.cyclonedxJSON, "CycloneDXWriter"),
        (.spdxJSON, "SPDXWriter"),
    ])
    func writers(_ format: SBOMFormat, _ typeName: String) {
        #expect(String(describing: type(of: format.writer())) == typeName)
    }

    @Test("colour reaches the table writer")
    func colour() throws {
        let writer = try #require(SBOMFormat.table.writer(useColor: true) as? SBOMTableWriter)
        #expect(writer.useColor)
    }
}
