import Foundation
import Testing
import ShrikeTestSupport

/// HTTPS registries: a private CA is trusted only through --ca-file.
@Suite(.enabled(if: RegistryTests.haveRegistry && RegistryTests.haveSkopeo && RegistryTests.haveShrike
                    && ExternalTool.find("openssl") != nil,
                "needs docker-registry, skopeo, openssl and a built shrike"),
       .serialized)
struct RegistryTLSTests {
    @Test("an HTTPS registry with a private CA: refused without --ca-file, read with it")
    func privateCA() throws {
        let dir = try RegistryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ImageFixtureBuilder(RegistryTests.smallImage()).writeOCILayout(to: dir + "/layout")
        try RegistryServer.with(tls: true) { server in
            let caFile = try #require(server.caFile)
            try RegistryTests.skopeo(["copy", "oci:\(dir)/layout", "docker://\(server.host)/tls/app:1", "--dest-tls-verify=false"], in: dir)
            let target = "registry:\(server.host)/tls/app:1"

            let untrusted = try RegistryTests.shrike(["verify", target])
            #expect(untrusted.status == 2)
            #expect(untrusted.stderr.contains("TLS certificate is not trusted; for a private CA pass --ca-file"), "\(untrusted.stderr)")
            #expect(untrusted.stderr.split(separator: "\n").count == 1)

            let trusted = try RegistryTests.shrike(["verify", target, "--ca-file", caFile])
            #expect(trusted.status == 0, "\(trusted.stderr)")
            #expect(trusted.stdout.hasPrefix("verified 4 blobs"))
            let sbom = try RegistryTests.shrike(["sbom", target, "--ca-file", caFile, "-o", "json"])
            #expect(sbom.status == 0, "\(sbom.stderr)")
        }
    }
}
