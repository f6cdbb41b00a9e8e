import Foundation
import Testing
import ShrikeCore
import ShrikeImage
import ShrikeTestSupport

/// `shrike verify` on OCI layouts, OCI archives and docker-archives: every blob hashed, the first bad one named.
struct ImageVerifierTests {
    typealias Format = ImageSourceFixtures.Format

    static func image(_ corruptions: [FixtureCorruption] = []) throws -> ImageFixtureBuilder {
        var fixture = RegistryTests.smallImage()
        fixture.corruptions = corruptions
        return try ImageFixtureBuilder(fixture)
    }

    @Test("an intact image verifies in every format", arguments: Format.allCases)
    func intact(format: Format) throws {
        let dir = try RegistryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let builder = try Self.image()
        let target = try ImageSourceFixtures.write(builder, as: format, in: dir)
        let report = try ImageVerifier.verify(target)
        #expect(report.verified, "\(String(describing: report.failure))")
        #expect(report.failure == nil)
        let layerBytes = builder.image.layers.reduce(0) { $0 + Int64($1.blob.count) }
        switch format {
        case .ociDirectory, .ociArchive:
            #expect(report.blobs == 4)
            #expect(report.bytes == Int64(builder.image.manifest.count + builder.image.config.count) + layerBytes)
        case .dockerArchiveClassic, .dockerArchiveBlobs:
            #expect(report.diffIDs == 2)
            #expect(report.blobs == 3)
        }
    }

    @Test("a layer whose bytes do not hash to its digest is named", arguments: Format.allCases)
    func wrongLayerDigest(format: Format) throws {
        let dir = try RegistryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let builder = try Self.image([.wrongLayerDigest(layer: 1)])
        let target = try ImageSourceFixtures.write(builder, as: format, in: dir)
        let report = try ImageVerifier.verify(target)
        let failure = try #require(report.failure)
        #expect(!report.verified)
        #expect(failure.role.hasPrefix("layer 2 of "))
        if format == .dockerArchiveClassic {
            // Classic archives name layers by path; the diff id is what catches the change.
            #expect(failure.kind == "diff-id")
            #expect(failure.expected == builder.image.diffIDs[1].description)
        } else {
            #expect(failure.kind == "digest" || failure.kind == "diff-id")
            #expect(failure.blob.contains(builder.image.layers[1].digest.hex))
        }
    }

    @Test("a config diff id that does not match its layer fails docker-archives", arguments: [Format.dockerArchiveClassic, .dockerArchiveBlobs])
    func wrongDiffID(format: Format) throws {
        let dir = try RegistryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let builder = try Self.image([.wrongDiffID(layer: 0)])
        let report = try ImageVerifier.verify(try ImageSourceFixtures.write(builder, as: format, in: dir))
        let failure = try #require(report.failure)
        #expect(failure.kind == "diff-id")
        #expect(failure.actual == builder.image.layers[0].tar.map { Digest.sha256(of: $0).description })
    }

    @Test("missing and truncated blobs, and a manifest that does not match index.json", arguments: [
        (FixtureCorruption.missingBlob(layer: 0), "missing"),
        (.truncatedBlob(layer: 0), "size"),
        (.missingConfig, "missing"),
        (.wrongManifestDigest, "size"),
    ])
    func layoutDefects(corruption: FixtureCorruption, kind: String) throws {
        let dir = try RegistryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let builder = try Self.image([corruption])
        let report = try ImageVerifier.verify(try ImageSourceFixtures.write(builder, as: .ociDirectory, in: dir))
        #expect(report.failure?.kind == kind)
    }

    @Test("overwriting a blob file in a layout: verify exits 1 naming it; --json carries the same failure",
          .enabled(if: RegistryTests.haveShrike, "needs a built shrike"))
    func corruptedLayoutCLI() throws {
        let dir = try RegistryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let builder = try Self.image()
        try builder.writeOCILayout(to: dir + "/layout")
        let good = try RegistryTests.shrike(["verify", "oci-dir:\(dir)/layout"])
        #expect(good.status == 0)
        #expect(good.stdout.hasPrefix("verified 4 blobs, "))

        let config = builder.image.configDigest
        var bytes = builder.image.config
        bytes[bytes.count / 2] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: "\(dir)/layout/blobs/sha256/\(config.hex)"))
        let bad = try RegistryTests.shrike(["verify", "oci-dir:\(dir)/layout"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("config of manifest \(builder.image.manifestDigest) (\(config))"))
        #expect(bad.stderr.contains("expected \(config), content hashes to \(Digest.sha256(of: bytes))"))

        let json = try RegistryTests.shrike(["verify", "oci-dir:\(dir)/layout", "--json"])
        #expect(json.status == 1)
        let report = try JSONDecoder().decode(VerificationReport.self, from: Data(json.stdout.utf8))
        #expect(report.failure?.blob == config.description)
        #expect(report.failure?.actual == Digest.sha256(of: bytes).description)
        #expect(!report.verified)
    }

    @Test("every platform of an index is verified, not just the one a read would pick")
    func allPlatforms() throws {
        let dir = try RegistryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var arm = RegistryTests.smallImage(architecture: "arm64")
        arm.corruptions = [.wrongLayerDigest(layer: 0)]
        let builder = try ImageFixtureBuilder(platforms: [RegistryTests.smallImage(architecture: "amd64"), arm], tags: ["multi:1"])
        try builder.writeOCILayout(to: dir + "/layout")
        let report = try ImageVerifier.verify(.ociDirectory(path: dir + "/layout", tag: nil))
        #expect(report.failure?.blob == builder.images[1].layers[0].digest.description)
        #expect(report.failure?.role == "layer 1 of manifest \(builder.images[1].manifestDigest)")
    }

    @Test func dirTargetsAreRefused() {
        #expect(throws: ShrikeError.self) { try ImageVerifier.verify(.directory(path: "/")) }
    }
}
