import Foundation
import Testing
import ShrikeCore
import ShrikeImage
import ShrikeCatalog
import ShrikeTestSupport

/// The catalog says which layer brought each package: the oldest layer from which its database listed it unchanged.
@Suite struct LayerAttributionTests {
    @Test("packages are attributed to the layer that brought them", arguments: [ImageSourceFixtures.Format.ociArchive, .dockerArchiveClassic])
    func layerAttribution(format: ImageSourceFixtures.Format) throws {
        try #require(!ImageSourceFixtures.alpineTar.isEmpty)
        let dir = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Layer 2 rewrites the apk database as `apk add` would: every base package plus one new one, and musl upgraded.
        let listing = try ExternalTool.run(["tar", "-xzOf", RepositoryFiles.alpineRootfs("3.20.3"), "./lib/apk/db/installed"])
        try #require(listing.status == 0)
        var database = listing.stdout.replacingOccurrences(of: "P:musl\nV:1.2.5-r0", with: "P:musl\nV:1.2.5-r1")
        database += "C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:shrike-demo\nV:1.0-r0\nA:x86_64\nS:100\nI:200\nT:demo\nL:MIT\no:shrike-demo\nF:usr/bin\nR:shrike-demo\n\n"
        let upper = LayerFixture([.file("lib/apk/db/installed", database), .file("usr/bin/shrike-demo", "#!/bin/sh\n")])
        let builder = try ImageFixtureBuilder(ImageFixture(layers: [LayerFixture(tar: ImageSourceFixtures.alpineTar), upper]))
        let target = try ImageSourceFixtures.write(builder, as: format, in: dir)
        let catalog = Catalog.osPackages
        let (fs, source) = try ImageLoader.open(target, options: ImageReadOptions(selector: catalog.contentSelector))
        let sbom = try catalog.run(on: fs, source: source)
        let layerOf = Dictionary(sbom.packages.map { ($0.name, $0.layer) }, uniquingKeysWith: { a, _ in a })
        #expect(sbom.packages.count == 15)
        #expect(layerOf["busybox"] == builder.image.diffIDs[0])
        #expect(layerOf["zlib"] == builder.image.diffIDs[0])
        #expect(layerOf["musl"] == builder.image.diffIDs[1], "upgraded in layer 2")
        #expect(layerOf["shrike-demo"] == builder.image.diffIDs[1], "added in layer 2")
        #expect(sbom.distro?.versionID == "3.20.3")
    }

}
