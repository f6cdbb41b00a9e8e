import Foundation
import ShrikeCatalog
import ShrikeImage
import ShrikeReport
import ShrikeTestSupport
import ShrikeVulnDB
import Testing
@testable import ShrikeServer

/// Re-matching without rescans: an SBOM uploaded to a server with an empty advisory database has no matches; once
/// the advisories are imported on the server, its vulnerabilities appear through the API with no second upload, and
/// `affected` names the image and the hosts running it.
@Suite("Server re-matching", .enabled(if: FileManager.default.fileExists(atPath: RepositoryFiles.alpineRootfs("3.9.6")),
                                       "needs the Alpine 3.9.6 minirootfs (make demo fetches it into the repository)"))
struct ServerRematchTests {
    /// The scan tests' fixture: Alpine 3.9.6 with a second layer that downgrades musl to 1.1.20-r4.
    static func downgradedImageSBOM() throws -> (digest: String, imageID: String, json: [String: Any]) {
        let directory = NSTemporaryDirectory() + "shrike-rematch-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let installed = try ExternalTool.run(["tar", "-xzOf", RepositoryFiles.alpineRootfs("3.9.6"),
                                              "./lib/apk/db/installed"]).stdout
        let database = installed.replacingOccurrences(of: "P:musl\nV:1.1.20-r5", with: "P:musl\nV:1.1.20-r4")
        let builder = try ImageFixtureBuilder(ImageFixture(layers: [
            LayerFixture(tar: ImageSourceFixtures.uncompressedAlpine("3.9.6")),
            LayerFixture([.file("lib/apk/db/installed", database)]),
        ]))
        let target = try ImageSourceFixtures.write(builder, as: .ociArchive, in: directory)
        let (tree, source) = try ImageLoader.open(target, options: ImageReadOptions(
            selector: Catalog.osPackages.contentSelector))
        let sbom = try Catalog.osPackages.run(on: tree, source: source)
        let bytes = try SBOMJSONWriter().write(sbom)
        let json = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] ?? [:]
        return (sbom.source.digest?.description ?? "", sbom.source.imageID?.description ?? "", json)
    }

    @Test func importingAdvisoriesOnTheServerRevealsTheStoredImagesVulnerabilities() async throws {
        let server = try await TestServer.start(rematchSeconds: 1)
        defer { Task { await server.stop() } }
        let agent = try await server.token(.agent, name: "node-1")
        let viewer = try await server.token(.viewer)
        let (digest, imageID, sbom) = try Self.downgradedImageSBOM()
        #expect(digest.hasPrefix("sha256:"))
        #expect(imageID.hasPrefix("sha256:") && imageID != digest)
        // Agents name running images by their config digest, as the container runtimes do.
        let upload = try await server.ingest([["seq": 1, "kind": "sbom", "body": sbom],
                                              Records.heartbeat(seq: 2, running: [imageID])], token: agent)
        #expect((upload.json["results"] as? [[String: Any]])?.map { $0["status"] as? String } == ["stored", "stored"],
                "\(upload.text)")
        let path = "/api/v1/images/\(digest)/vulnerabilities"
        try await Self.waitUntil { try await server.store.images().first?.matchedAt != nil }
        #expect((try await server.request(.GET, path, token: viewer).json["items"] as? [Any])?.isEmpty == true,
                "no advisories yet: no matches")

        // `shrike db import` on the server's advisory database.
        let advisories = try SQLiteAdvisoryStore(path: server.advisoryPath)
        _ = try advisories.importAdvisories([AdvisoryPathImporter(
            path: RepositoryFiles.path("Tests/ShrikeVulnDBTests/Fixtures/alpine-secdb/v3.9"))])
        try advisories.close()

        var ids: [String] = [], layers: [String] = []
        try await Self.waitUntil {
            let items = try await server.request(.GET, path, token: viewer).json["items"] as? [[String: Any]] ?? []
            ids = items.compactMap { $0["id"] as? String }
            layers = items.compactMap { $0["layer"] as? String }
            return !ids.isEmpty
        }
        #expect(ids == ["CVE-2019-14697"])
        // The match names the layer that brought the package: the second one, which pinned the old musl.
        let musl = (sbom["packages"] as? [[String: Any]] ?? []).first { $0["name"] as? String == "musl" }
        let base = (sbom["packages"] as? [[String: Any]] ?? []).first { $0["name"] as? String == "zlib" }
        #expect(layers == [musl?["layer"] as? String ?? "no musl layer"])
        #expect(layers.first != base?["layer"] as? String, "not the base layer")
        let affected = try await server.request(.GET, "/api/v1/vulnerabilities/CVE-2019-14697/affected", token: viewer)
        let images = affected.json["images"] as? [[String: Any]] ?? []
        #expect(images.map { $0["digest"] as? String } == [digest])
        #expect(images.first?["packages"] as? [String] == ["musl@1.1.20-r4"])
        #expect(affected.json["hosts"] as? [String] == ["node-1"])
        let listed = try await server.request(.GET, "/api/v1/images", token: viewer).json["items"] as? [[String: Any]]
        #expect(listed?.first?["vulnerabilities"] as? Int == 1)
        #expect(listed?.first?["hosts"] as? [String] == ["node-1"])
        #expect(listed?.first?["distro"] as? String == "alpine 3.9.6")
    }

    static func waitUntil(seconds: Double = 90, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("condition not met within \(seconds) s")
    }
}
