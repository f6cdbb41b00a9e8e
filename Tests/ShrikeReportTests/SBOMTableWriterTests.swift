import ShrikeCatalog
import ShrikeCore
import ShrikeImage
import Testing
@testable import ShrikeReport

@Suite("SBOM table")
struct SBOMTableWriterTests {
    static let small = SBOM(
        source: SourceDescription(type: "oci-dir", path: "alpine", digest: SBOMFixtures.digest("c"),
                                  layers: [SBOMFixtures.baseLayer, SBOMFixtures.appLayer]),
        distro: Distro(id: "alpine", versionID: "3.20.3"),
        packages: [
            SBOMFixtures.apk("zlib", "1.3.1-r1", licenses: []),
            SBOMFixtures.apk("busybox", "1.36.1-r29", licenses: []),
            SBOMFixtures.apk("musl", "1.2.5-r0", licenses: [], layer: SBOMFixtures.appLayer),
            Package(name: "requests", version: "2.31.0", type: .python,
                    purl: PackageURL(type: "pypi", name: "requests", version: "2.31.0")),
        ])

    @Test("columns fit their content, rows sort by name, then a summary line")
    func golden() {
        let expected = """
            NAME      VERSION     TYPE    LAYER
            busybox   1.36.1-r29  apk     aaaaaaaaaaaa
            musl      1.2.5-r0    apk     bbbbbbbbbbbb
            requests  2.31.0      python  -
            zlib      1.3.1-r1    apk     aaaaaaaaaaaa
            4 packages (apk 3, python 1) in 2 layers · alpine 3.20.3

            """
        #expect(SBOMTableWriter().render(Self.small) == expected)
    }

    @Test("write gives the rendered text as UTF-8")
    func bytes() throws {
        #expect(try SBOMTableWriter().write(Self.small) == Array(SBOMTableWriter().render(Self.small).utf8))
    }

    @Test("ties on name sort by version, then type")
    func tieOrder() {
        func package(_ version: String, _ type: PackageType) -> Package {
            Package(name: "same", version: version, type: type, purl: PackageURL(type: type.purlType, name: "same"))
        }
        let sbom = SBOM(source: SourceDescription(type: "dir", path: "/"), distro: nil,
                        packages: [package("2", .rpm), package("1", .rpm), package("1", .deb)])
        let lines = SBOMTableWriter().render(sbom).split(separator: "\n").dropFirst().prefix(3)
        #expect(lines.map { $0.split(separator: " ").map(String.init) }
            == [["same", "1", "deb", "-"], ["same", "1", "rpm", "-"], ["same", "2", "rpm", "-"]])
    }

    static let summaries: [(SBOM, String)] = [
        (SBOMFixtures.empty, "0 packages in 1 layer"),
        (SBOMFixtures.directory, "1 package (apk 1)"),
        (SBOMFixtures.image, "14 packages (apk 5, deb 3, python 1, rpm 5) in 2 layers · alpine 3.20.3"),
        (SBOM(source: SourceDescription(type: "dir", path: "/"), distro: Distro(id: "arch"), packages: []),
         "0 packages · arch"),
    ]

    @Test("summary line counts packages per type, layers and names the distro", arguments: summaries)
    func summary(_ sbom: SBOM, _ expected: String) {
        let lines = SBOMTableWriter().render(sbom).split(separator: "\n")
        #expect(lines.last.map(String.init) == expected)
        #expect(SBOMTableWriter.summary(sbom) == expected)
    }

    @Test("an empty SBOM prints only the summary")
    func emptyHasNoHeader() {
        #expect(SBOMTableWriter().render(SBOMFixtures.empty) == "0 packages in 1 layer\n")
    }

    @Test("colour escapes appear only when asked for")
    func colour() {
        let plain = SBOMTableWriter(useColor: false).render(Self.small)
        let coloured = SBOMTableWriter(useColor: true).render(Self.small)
        #expect(!plain.contains("\u{1B}"))
        #expect(coloured.hasPrefix("\u{1B}[1mNAME"))
        #expect(coloured.contains("\u{1B}[2maaaaaaaaaaaa\u{1B}[0m"))
    }

    @Test("no line ends in blanks")
    func noTrailingBlanks() {
        for line in SBOMTableWriter().render(SBOMFixtures.image).split(separator: "\n") {
            #expect(line.last != " ", "\(line)")
        }
    }

    @Test("control characters in names never reach the terminal")
    func controlCharacters() {
        let sbom = SBOM(source: SourceDescription(type: "dir", path: "/"), distro: nil, packages: [
            Package(name: "evil\u{1B}[2J", version: "1\n2", type: .npm, purl: PackageURL(type: "npm", name: "evil")),
        ])
        let text = SBOMTableWriter().render(sbom)
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("evil?[2J  1?2"))
    }
}
