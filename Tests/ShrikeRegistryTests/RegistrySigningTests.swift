import Foundation
import Testing
import ShrikeCore
import ShrikeImage
import ShrikeTestSupport

/// `shrike sign`, `verify --key/--attestation/--lock`, `attest`, `lock` and `policy check` on `registry:` targets,
/// as a user runs them, against Debian's docker-registry with skopeo as the independent client (issue 8).
@Suite(.enabled(if: RegistryTests.haveRegistry && RegistryTests.haveSkopeo && RegistryTests.haveShrike,
                "needs docker-registry, skopeo (apt-get install docker-registry skopeo) and the built shrike (swift build --build-tests)"),
       .serialized)
struct RegistrySigningTests {
    static let password = ["SHRIKE_PASSWORD": "registry-test-pw"]

    /// `skopeo copy` of an OCI layout to `reference` on `server`, keeping the digests.
    static func copy(_ layout: String, to reference: String, on server: RegistryServer, dir: String) throws {
        try RegistryTests.skopeo(["copy", "oci:\(layout)", "docker://\(server.host)/\(reference)",
                                  "--dest-tls-verify=false", "--preserve-digests"], in: dir)
    }

    @Test("sign, skopeo sees the .sig tag, verify, wrong key, attest, lock, skopeo moves the tag, verify --lock fails")
    func signVerifyAttestLockOnRegistry() throws {
        let dir = try RegistryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try ImageFixtureBuilder(RegistryTests.smallImage())
        let second = try ImageFixtureBuilder(RegistryTests.smallImage(marker: "-moved"))
        try first.writeOCILayout(to: dir + "/first")
        try second.writeOCILayout(to: dir + "/second")
        let digest = first.image.manifestDigest
        let movedDigest = second.image.manifestDigest
        #expect(digest != movedDigest)

        try RegistryServer.with { server in
            try Self.copy(dir + "/first", to: "team/app:1.0", on: server, dir: dir)
            let target = "registry:\(server.host)/team/app:1.0"

            let generated = try RegistryTests.shrike(["key", "generate", "--out", dir + "/k"], environment: Self.password)
            #expect(generated.status == 0, "\(generated.stderr)")

            let signed = try RegistryTests.shrike(["sign", target, "--key", dir + "/k.key", "--insecure"], environment: Self.password)
            #expect(signed.status == 0, "\(signed.stderr)")
            #expect(signed.stdout.contains("Signed \(server.host)/team/app@\(digest)"), "\(signed.stdout)")

            // skopeo, an independent client, finds cosign's signature manifest under sha256-<hex>.sig.
            let signatureTag = "sha256-\(digest.hex).sig"
            let tags = try RegistryTests.skopeo(["list-tags", "--tls-verify=false", "docker://\(server.host)/team/app"], in: dir)
            #expect(tags.stdout.contains("\"\(signatureTag)\""), "\(tags.stdout)")
            let inspected = try RegistryTests.skopeo(["inspect", "--raw", "--tls-verify=false",
                                                      "docker://\(server.host)/team/app:\(signatureTag)"], in: dir)
            struct SignatureManifest: Decodable {
                struct Layer: Decodable {
                    var mediaType: String
                    var annotations: [String: String]?
                }
                var layers: [Layer]
            }
            let manifest = try JSONDecoder().decode(SignatureManifest.self, from: Data(inspected.stdout.utf8))
            #expect(manifest.layers.count == 1)
            #expect(manifest.layers.first?.mediaType == "application/vnd.dev.cosign.simplesigning.v1+json")
            #expect(manifest.layers.first?.annotations?["dev.cosignproject.cosign/signature"]?.isEmpty == false)

            let verified = try RegistryTests.shrike(["verify", target, "--key", dir + "/k.pub", "--insecure"])
            #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
            #expect(verified.stdout.contains("verified by key sha256:"), "\(verified.stdout)")

            // A key that did not sign: exit 1 with the reason.
            let stranger = try RegistryTests.shrike(["key", "generate", "--out", dir + "/stranger"], environment: Self.password)
            #expect(stranger.status == 0, "\(stranger.stderr)")
            let wrongKey = try RegistryTests.shrike(["verify", target, "--key", dir + "/stranger.pub", "--insecure"])
            #expect(wrongKey.status == 1)
            #expect((wrongKey.stdout + wrongKey.stderr).contains("does not verify with the given key"), "\(wrongKey.stdout)\(wrongKey.stderr)")

            // An attestation pushed to the registry verifies; another predicate type is not there.
            try Data(#"{"builder":{"id":"https://ci.example/run/1"}}"#.utf8).write(to: URL(fileURLWithPath: dir + "/provenance.json"))
            let attested = try RegistryTests.shrike(["attest", target, "--key", dir + "/k.key", "--type", "https://slsa.dev/provenance/v1",
                                                     "--predicate", dir + "/provenance.json", "--insecure"], environment: Self.password)
            #expect(attested.status == 0, "\(attested.stderr)")
            let attestationTags = try RegistryTests.skopeo(["list-tags", "--tls-verify=false", "docker://\(server.host)/team/app"], in: dir)
            #expect(attestationTags.stdout.contains("\"sha256-\(digest.hex).att\""), "\(attestationTags.stdout)")
            let attestation = try RegistryTests.shrike(["verify", target, "--key", dir + "/k.pub", "--attestation",
                                                        "https://slsa.dev/provenance/v1", "--insecure"])
            #expect(attestation.status == 0, "\(attestation.stdout)\(attestation.stderr)")
            let otherType = try RegistryTests.shrike(["verify", target, "--key", dir + "/k.pub", "--attestation",
                                                      "https://spdx.dev/Document", "--insecure"])
            #expect(otherType.status == 1)
            #expect(otherType.stdout.contains("no verified attestation of type https://spdx.dev/Document"), "\(otherType.stdout)")

            let locked = try RegistryTests.shrike(["lock", target, "--file", dir + "/shrike.lock", "--insecure"])
            #expect(locked.status == 0, "\(locked.stderr)")
            #expect(try String(contentsOfFile: dir + "/shrike.lock", encoding: .utf8).contains(digest.description))
            let unmoved = try RegistryTests.shrike(["verify", target, "--lock", dir + "/shrike.lock", "--insecure"])
            #expect(unmoved.status == 0, "\(unmoved.stdout)\(unmoved.stderr)")

            // An unauthorized push: skopeo overwrites the tag with another image.
            try Self.copy(dir + "/second", to: "team/app:1.0", on: server, dir: dir)
            let moved = try RegistryTests.shrike(["verify", target, "--lock", dir + "/shrike.lock", "--insecure"])
            #expect(moved.status == 1)
            let report = moved.stdout + moved.stderr
            #expect(report.contains("tag '1.0' moved"), "\(report)")
            #expect(report.contains("locked at \(digest)"), "\(report)")
            #expect(report.contains("now \(movedDigest)"), "\(report)")
            // The new image carries no signature of ours.
            let unsigned = try RegistryTests.shrike(["verify", target, "--key", dir + "/k.pub", "--insecure"])
            #expect(unsigned.status == 1, "\(unsigned.stdout)")
        }
    }

    @Test("policy check on a registry: a digest-pinned signed image complies; an implied 'latest' is latest and mutable")
    func policyOnRegistryReferences() throws {
        let dir = try RegistryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let builder = try ImageFixtureBuilder(RegistryTests.smallImage())
        try builder.writeOCILayout(to: dir + "/layout")
        let digest = builder.image.manifestDigest
        try RegistryServer.with { server in
            try Self.copy(dir + "/layout", to: "team/app:latest", on: server, dir: dir)
            #expect(try RegistryTests.shrike(["key", "generate", "--out", dir + "/k"], environment: Self.password).status == 0)
            let signed = try RegistryTests.shrike(["sign", "registry:\(server.host)/team/app@\(digest)", "--key", dir + "/k.key", "--insecure"],
                                                  environment: Self.password)
            #expect(signed.status == 0, "\(signed.stderr)")
            try """
            allowedRepositories: ["\(server.host)/team/*"]
            signatures:
              keys: [\(dir)/k.pub]
            forbidLatest: true
            forbidMutableTags: true
            """.write(toFile: dir + "/policy.yaml", atomically: true, encoding: .utf8)

            let pinned = try RegistryTests.shrike(["policy", "check", "registry:\(server.host)/team/app@\(digest)",
                                                   "--policy", dir + "/policy.yaml", "--insecure"])
            #expect(pinned.status == 0, "\(pinned.stdout)\(pinned.stderr)")
            #expect(pinned.stdout.contains("\(server.host)/team/app@\(digest) complies"), "\(pinned.stdout)")

            let implied = try RegistryTests.shrike(["policy", "check", "registry:\(server.host)/team/app",
                                                    "--policy", dir + "/policy.yaml", "--insecure"])
            #expect(implied.status == 1, "\(implied.stdout)\(implied.stderr)")
            #expect(implied.stdout.contains("- forbidLatest:"), "\(implied.stdout)")
            #expect(implied.stdout.contains("- forbidMutableTags:"), "\(implied.stdout)")
            #expect(!implied.stdout.contains("- signatures:"), "the same digest is signed: \(implied.stdout)")
            #expect(!implied.stdout.contains("- allowedRepositories:"), "\(implied.stdout)")

            // Without --insecure the plain-HTTP registry is not reached: an input error, not a policy verdict.
            let secure = try RegistryTests.shrike(["policy", "check", "registry:\(server.host)/team/app@\(digest)",
                                                   "--policy", dir + "/policy.yaml"])
            #expect(secure.status == 2, "\(secure.stdout)\(secure.stderr)")
        }
    }

    @Test("credentials reach sign, lock, attest and verify: flags or environment work, none fails in one line",
          .enabled(if: RegistryServer.canMakeHtpasswd, "needs htpasswd (apt-get install apache2-utils)"))
    func signOnAuthenticatedRegistry() throws {
        let dir = try RegistryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ImageFixtureBuilder(RegistryTests.smallImage()).writeOCILayout(to: dir + "/layout")
        let user = RegistryServer.User(name: "alice", password: "correct horse")
        try RegistryServer.with(user: user) { server in
            try RegistryTests.skopeo(["copy", "oci:\(dir)/layout", "docker://\(server.host)/private/app:1",
                                      "--dest-tls-verify=false", "--dest-creds", "alice:correct horse"], in: dir)
            let target = "registry:\(server.host)/private/app:1"
            let login = ["--insecure", "--username", "alice", "--password", "correct horse"]
            #expect(try RegistryTests.shrike(["key", "generate", "--out", dir + "/k"], environment: Self.password).status == 0)

            let anonymous = try RegistryTests.shrike(["sign", target, "--key", dir + "/k.key", "--insecure"], environment: Self.password)
            #expect(anonymous.status == 2)
            #expect(anonymous.stderr.contains(server.host), "\(anonymous.stderr)")
            #expect(anonymous.stderr.split(separator: "\n").count == 1, "\(anonymous.stderr)")

            let signed = try RegistryTests.shrike(["sign", target, "--key", dir + "/k.key"] + login, environment: Self.password)
            #expect(signed.status == 0, "\(signed.stderr)")
            try Data("{}".utf8).write(to: URL(fileURLWithPath: dir + "/predicate.json"))
            let attested = try RegistryTests.shrike(["attest", target, "--key", dir + "/k.key", "--type", "https://example.com/empty/v1",
                                                     "--predicate", dir + "/predicate.json"] + login, environment: Self.password)
            #expect(attested.status == 0, "\(attested.stderr)")
            let locked = try RegistryTests.shrike(["lock", target, "--file", dir + "/shrike.lock", "--key", dir + "/k.pub"] + login)
            #expect(locked.status == 0, "\(locked.stderr)")
            #expect(locked.stdout.contains(" signed by sha256:"), "\(locked.stdout)")
            let verified = try RegistryTests.shrike(["verify", target, "--key", dir + "/k.pub", "--attestation", "https://example.com/empty/v1",
                                                     "--lock", dir + "/shrike.lock", "--insecure"],
                                                    environment: ["SHRIKE_REGISTRY_USERNAME": "alice", "SHRIKE_REGISTRY_PASSWORD": "correct horse"])
            #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        }
    }
}
