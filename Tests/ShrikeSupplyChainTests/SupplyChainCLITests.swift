import Foundation
import ShrikeCore
import ShrikeTestSupport
import Testing
@testable import ShrikeSupplyChain

/// The supply-chain commands as a user runs them: exit codes and messages of the CLI contract.
@Suite("shrike key/sign/verify/attest/lock/policy from the command line",
       .enabled(if: ShrikeExecutable.path != nil, "the shrike executable is not built (swift build --build-tests)"))
struct SupplyChainCLITests {
    struct Run {
        var status: Int32
        var output: String
    }

    func shrike(_ arguments: [String], password: String = "pw") throws -> Run {
        let result = try ExternalTool.run([try #require(ShrikeExecutable.path)] + arguments,
                                          environment: ["SHRIKE_PASSWORD": password])
        return Run(status: result.status, output: result.stdout + result.stderr)
    }

    @Test("generate a key, sign, verify, attest, lock, move the tag, check a policy")
    func walkthrough() throws {
        let dir = try SupplyChainFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let layout = try SupplyChainFixtures.layout(in: dir)
        let target = "oci-dir:\(layout):1.0"

        let generated = try shrike(["key", "generate", "--out", dir + "/release"])
        #expect(generated.status == 0, "\(generated.output)")
        #expect(try String(contentsOfFile: dir + "/release.key", encoding: .utf8).hasPrefix("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----"))
        #expect(try shrike(["key", "generate", "--out", dir + "/release"]).status == 2)
        let mode = try FileManager.default.attributesOfItem(atPath: dir + "/release.key")[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let signed = try shrike(["sign", target, "--key", dir + "/release.key", "--reference", "example.com/team/app:1.0"])
        #expect(signed.status == 0, "\(signed.output)")
        #expect(try shrike(["sign", target, "--key", dir + "/release.key"], password: "wrong").status == 2)

        let verified = try shrike(["verify", target, "--key", dir + "/release.pub"])
        #expect(verified.status == 0, "\(verified.output)")
        #expect(verified.output.contains("verified by key sha256:"))

        try Data(SigningKey.generate().verificationKey.pem.utf8).write(to: URL(fileURLWithPath: dir + "/stranger.pub"))
        let stranger = try shrike(["verify", target, "--key", dir + "/stranger.pub"])
        #expect(stranger.status == 1)
        #expect(stranger.output.contains("does not verify with the given key"))

        try Data("{\"builder\":{\"id\":\"ci\"}}".utf8).write(to: URL(fileURLWithPath: dir + "/provenance.json"))
        let attested = try shrike(["attest", target, "--key", dir + "/release.key", "--type", "https://slsa.dev/provenance/v1",
                                   "--predicate", dir + "/provenance.json"])
        #expect(attested.status == 0, "\(attested.output)")
        #expect(try shrike(["verify", target, "--key", dir + "/release.pub", "--attestation", "https://slsa.dev/provenance/v1"]).status == 0)
        #expect(try shrike(["verify", target, "--key", dir + "/release.pub", "--attestation", "https://spdx.dev/Document"]).status == 1)

        let locked = try shrike(["lock", target, "--file", dir + "/shrike.lock", "--key", dir + "/release.pub"])
        #expect(locked.status == 0, "\(locked.output)")
        #expect(try shrike(["verify", target, "--lock", dir + "/shrike.lock"]).status == 0)

        // Move the tag: another image's manifest under "1.0".
        let other = try SupplyChainFixtures.layout(in: dir, name: "other", content: "changed")
        let otherImage = try SupplyChainTarget.resolve("oci-dir:\(other):1.0")
        let store = try OCILayoutStore(root: layout)
        for name in try FileManager.default.contentsOfDirectory(atPath: other + "/blobs/sha256") {
            try store.pushBlob(Array(try Data(contentsOf: URL(fileURLWithPath: other + "/blobs/sha256/" + name))))
        }
        try store.pushManifest(otherImage.manifest, mediaType: OCIMediaTypes.imageManifest, tag: "1.0")
        let moved = try shrike(["verify", target, "--lock", dir + "/shrike.lock"])
        #expect(moved.status == 1)
        #expect(moved.output.contains("tag '1.0' moved"))
        #expect(moved.output.contains(otherImage.digest.description))

        try """
        allowedRepositories: ["registry.internal/**"]
        signatures:
          keys: [release.pub]
        forbidRoot: true
        forbidMutableTags: true
        """.write(toFile: dir + "/policy.yaml", atomically: true, encoding: .utf8)
        let checked = try shrike(["policy", "check", target, "--policy", dir + "/policy.yaml", "--reference", "example.com/team/app"])
        #expect(checked.status == 1)
        for rule in ["allowedRepositories", "signatures", "forbidRoot", "forbidMutableTags"] {
            #expect(checked.output.contains("- \(rule):"), "\(rule) missing from: \(checked.output)")
        }
        #expect(try shrike(["policy", "check", target, "--policy", dir + "/missing.yaml"]).status == 2)
    }
}
