import Foundation
import Testing
import ShrikeCatalog
import ShrikeCore
import ShrikeImage
import ShrikeTestSupport

/// How language catalogers are wired: which catalog reads lockfiles, and layer attribution in images.
@Suite struct LanguageCatalogTests {
    static let files = [
        "/app/node_modules/lodash/package.json": #"{"name": "lodash", "version": "4.17.20"}"#,
        "/app/package-lock.json": #"{"lockfileVersion": 3, "packages": {"node_modules/left-pad": {"version": "1.3.0"}}}"#,
    ]

    @Test("images read installed packages only; dir: targets add lockfiles")
    func catalogsPerTarget() throws {
        let fs = try InMemoryFileSystem(textFiles: Self.files)
        let source = SourceDescription(type: "dir", path: "/")
        #expect(try Catalog.default(for: .dockerArchive(path: "x.tar", tag: nil)).run(on: fs, source: source).packages.map(\.name) == ["lodash"])
        #expect(try Catalog.default(for: .directory(path: "/")).run(on: fs, source: source).packages.map(\.name) == ["left-pad", "lodash"])
        let names = Catalog.directory.catalogers.map(\.name)
        #expect(Set(names).count == names.count, "cataloger names are unique: \(names)")
    }

    @Test("each language package is attributed to the layer that wrote its record")
    func layers() throws {
        let dir = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let metadata = { (name: String, version: String) in "Metadata-Version: 2.1\nName: \(name)\nVersion: \(version)\n" }
        let site = "usr/lib/python3.11/site-packages"
        let builder = try ImageFixtureBuilder(ImageFixture(layers: [
            LayerFixture([.file("\(site)/a-1.dist-info/METADATA", metadata("a", "1")),
                          .file("\(site)/b-1.dist-info/METADATA", metadata("b", "1"))]),
            // Layer 2 upgrades b (a new dist-info) and rewrites a's METADATA unchanged, as a reinstall would.
            LayerFixture([.file("\(site)/a-1.dist-info/METADATA", metadata("a", "1")),
                          .file("\(site)/c-2.dist-info/METADATA", metadata("c", "2"))]),
        ]))
        let target = try ImageSourceFixtures.write(builder, as: .ociArchive, in: dir)
        let catalog = Catalog.default
        let (fs, source) = try ImageLoader.open(target, options: ImageReadOptions(selector: catalog.contentSelector))
        let sbom = try catalog.run(on: fs, source: source)
        let layerOf = Dictionary(uniqueKeysWithValues: sbom.packages.map { ($0.name, $0.layer) })
        #expect(layerOf["a"] == builder.image.diffIDs[0], "unchanged since layer 1")
        #expect(layerOf["b"] == builder.image.diffIDs[0])
        #expect(layerOf["c"] == builder.image.diffIDs[1])
    }
}
