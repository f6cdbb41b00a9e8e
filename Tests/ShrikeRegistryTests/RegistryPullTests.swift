import Foundation
import Testing
import ShrikeCore
import ShrikeImage
import ShrikeTestSupport

/// Images copied into a real registry by skopeo, read back by `shrike sbom registry:…` and `shrike verify`.
@Suite(.enabled(if: RegistryTests.haveRegistry && RegistryTests.haveSkopeo && RegistryTests.haveShrike,
                "needs docker-registry and skopeo (apt-get install docker-registry skopeo) and a built shrike"),
       .serialized)
struct RegistryPullTests {
    @Test("sbom of a registry image lists the same packages as the archive skopeo copied in")
    func sbomMatchesArchive() throws {
        let dir = try RegistryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try RegistryTests.alpineImage().writeDockerArchive(to: dir + "/alpine.tar")
        try RegistryServer.with { server in
            try RegistryTests.skopeo(["copy", "docker-archive:\(dir)/alpine.tar", "docker://\(server.host)/shrike/alpine:3.20.3",
                                      "--dest-tls-verify=false"], in: dir)
            let archive = try RegistryTests.shrike(["sbom", "docker-archive:\(dir)/alpine.tar", "-o", "json"])
            #expect(archive.status == 0, "\(archive.stderr)")
            let pulled = try RegistryTests.shrike(["sbom", "registry:\(server.host)/shrike/alpine:3.20.3", "--insecure", "-o", "json"])
            #expect(pulled.status == 0, "\(pulled.stderr)")
            let expected = try RegistryTests.packages(archive.stdout)
            #expect(expected.count > 10)
            #expect(try RegistryTests.packages(pulled.stdout) == expected)

            // The source digest is the manifest digest skopeo reports.
            let inspect = try RegistryTests.skopeo(["inspect", "--tls-verify=false", "docker://\(server.host)/shrike/alpine:3.20.3"], in: dir)
            struct Inspect: Decodable { var Digest: String }
            let digest = try JSONDecoder().decode(Inspect.self, from: Data(inspect.stdout.utf8)).Digest
            #expect(try RegistryTests.sourceDigest(pulled.stdout) == digest)

            // By digest too; and scan reads registry targets through the same loader.
            let byDigest = try RegistryTests.shrike(["sbom", "registry:\(server.host)/shrike/alpine@\(digest)", "--insecure", "-o", "json"])
            #expect(byDigest.status == 0, "\(byDigest.stderr)")
            #expect(try RegistryTests.packages(byDigest.stdout) == expected)
            let database = dir + "/empty.sqlite"
            let imported = try RegistryTests.shrike(["db", "import", RepositoryFiles.path("Tests/ShrikeVulnDBTests/Fixtures/alpine-secdb"), "--db", database])
            #expect(imported.status == 0, "\(imported.stderr)")
            let scan = try RegistryTests.shrike(["scan", "registry:\(server.host)/shrike/alpine:3.20.3", "--insecure", "--db", database, "-o", "json"])
            #expect(scan.status == 0, "\(scan.stderr)")
            #expect(scan.stdout.contains("\"type\" : \"registry\"") || scan.stdout.contains("\"type\":\"registry\""))
        }
    }

    @Test("a multi-platform index: --platform picks one, verify checks every platform")
    func multiPlatform() throws {
        let dir = try RegistryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let builder = try ImageFixtureBuilder(platforms: [RegistryTests.smallImage(architecture: "amd64"),
                                                          RegistryTests.smallImage(architecture: "arm64")], tags: ["multi:1"])
        try builder.writeOCILayout(to: dir + "/layout")
        try RegistryServer.with { server in
            try RegistryTests.skopeo(["copy", "--all", "oci:\(dir)/layout:1", "docker://\(server.host)/multi:1",
                                      "--dest-tls-verify=false"], in: dir)
            let reference = try ImageReference(parsing: "\(server.host)/multi:1")
            var options = ImageReadOptions(selector: { path, _ in path == "/etc/arch" })
            options.registry = RegistryOptions(insecure: true)
            let (amd, source) = try ImageLoader.open(.registry(reference), options: options)
            #expect(try amd.contents(of: "/etc/arch") == Array("amd64\n".utf8))
            #expect(source.type == "registry")
            options.platform = try Platform(parsing: "linux/arm64")
            options.platformIsExplicit = true
            let (arm, _) = try ImageLoader.open(.registry(reference), options: options)
            #expect(try arm.contents(of: "/etc/arch") == Array("arm64\n".utf8))

            let report = try ImageVerifier.verify(.registry(reference), options: options)
            #expect(report.verified)
            // index + 2 × (manifest + config + 2 layers); the second layer is identical in both images.
            #expect(report.blobs == 1 + 2 * 3 + 1)
        }
    }

    @Test("verify passes on a registry image and fails naming a blob corrupted in the registry's storage")
    func verifyDetectsCorruptedStorage() throws {
        let dir = try RegistryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let builder = try ImageFixtureBuilder(RegistryTests.smallImage())
        try builder.writeOCILayout(to: dir + "/layout")
        try RegistryServer.with { server in
            try RegistryTests.skopeo(["copy", "oci:\(dir)/layout", "docker://\(server.host)/small:1",
                                      "--dest-tls-verify=false", "--preserve-digests"], in: dir)
            let target = "registry:\(server.host)/small:1"
            let good = try RegistryTests.shrike(["verify", target, "--insecure"])
            #expect(good.status == 0, "\(good.stderr)")
            #expect(good.stdout.hasPrefix("verified 4 blobs, "))

            // Overwrite the first layer's data file with as many different bytes.
            let layer = builder.image.layers[0]
            let path = server.blobDataPath(hex: layer.digest.hex)
            #expect(FileManager.default.fileExists(atPath: path))
            try Data(repeating: 0x5a, count: layer.blob.count).write(to: URL(fileURLWithPath: path))
            let bad = try RegistryTests.shrike(["verify", target, "--insecure"])
            #expect(bad.status == 1)
            #expect(bad.stderr.contains("layer 1 of manifest \(builder.image.manifestDigest)"))
            #expect(bad.stderr.contains("expected \(layer.digest)"))
            #expect(bad.stderr.contains("content hashes to \(Digest.sha256(of: [UInt8](repeating: 0x5a, count: layer.blob.count)))"))
            #expect(bad.stderr.split(separator: "\n").count == 1)

            let json = try RegistryTests.shrike(["verify", target, "--insecure", "--json"])
            #expect(json.status == 1)
            let report = try JSONDecoder().decode(VerificationReport.self, from: Data(json.stdout.utf8))
            #expect(report.failure?.blob == layer.digest.description)
            #expect(report.failure?.kind == "digest")

            // Reading the image fails too, naming the blob.
            let sbom = try RegistryTests.shrike(["sbom", target, "--insecure"])
            #expect(sbom.status == 2)
            #expect(sbom.stderr.contains(layer.digest.description))
        }
    }
}
