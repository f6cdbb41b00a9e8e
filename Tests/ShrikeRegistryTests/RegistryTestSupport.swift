import Foundation
import ShrikeCore
import ShrikeImage
import ShrikeTestSupport

/// Shared pieces of the registry tests: the CLI, fixture images and skopeo.
enum RegistryTests {
    static var haveRegistry: Bool { RegistryServer.isAvailable }
    static var haveSkopeo: Bool { ExternalTool.find("skopeo") != nil }
    static var haveShrike: Bool { ShrikeExecutable.path != nil }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the built `shrike` with `arguments` (NO_COLOR set; `environment` merged in).
    static func shrike(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        guard let path = ShrikeExecutable.path else { throw RegistryServerError("shrike is not built") }
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["SHRIKE_REGISTRY_USERNAME"] = nil
        env["SHRIKE_REGISTRY_PASSWORD"] = nil
        env["DOCKER_CONFIG"] = "/nonexistent-shrike-test"
        env.merge(environment) { $1 }
        let raw = try ExternalTool.runCapturingBytes(executable: path, arguments: arguments, environment: env)
        return Run(status: raw.status, stdout: String(decoding: raw.stdout, as: UTF8.self), stderr: raw.stderr)
    }

    /// `skopeo ARGS` with a policy that accepts anything (tests have no /etc/containers/policy.json guarantees).
    @discardableResult
    static func skopeo(_ arguments: [String], in dir: String) throws -> ExternalTool.Result {
        let policy = dir + "/skopeo-policy.json"
        if !FileManager.default.fileExists(atPath: policy) {
            try #"{"default":[{"type":"insecureAcceptAnything"}]}"#.write(toFile: policy, atomically: true, encoding: .utf8)
        }
        let result = try ExternalTool.run(["skopeo", "--policy", policy] + arguments,
                                          environment: ["REGISTRY_AUTH_FILE": dir + "/skopeo-auth.json"])
        guard result.status == 0 else {
            throw RegistryServerError("skopeo \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        }
        return result
    }

    /// The real Alpine 3.20.3 minirootfs as a one-layer image.
    static func alpineImage() throws -> ImageFixtureBuilder {
        try ImageFixtureBuilder(ImageFixture(layers: [LayerFixture(tar: ImageSourceFixtures.alpineTar, compression: .gzip)],
                                             tags: ["shrike/alpine:3.20.3"]))
    }

    /// A small two-layer image with a file naming its architecture.
    static func smallImage(architecture: String = "amd64", marker: String = "") -> ImageFixture {
        ImageFixture(layers: [LayerFixture([.file("etc/arch", architecture + marker + "\n")]),
                              LayerFixture([.file("etc/second", "two\n")], compression: .none)],
                     architecture: architecture)
    }

    static func temporaryDirectory() throws -> String { try ImageSourceFixtures.temporaryDirectory() }

    /// `(name, version, purl)` of every package in `shrike sbom -o json` output, sorted.
    static func packages(_ json: String) throws -> [String] {
        struct SBOM: Decodable {
            struct Package: Decodable {
                var name: String
                var version: String
                var purl: String?
            }
            var packages: [Package]
        }
        return try JSONDecoder().decode(SBOM.self, from: Data(json.utf8)).packages
            .map { "\($0.name) \($0.version) \($0.purl ?? "")" }.sorted()
    }

    static func sourceDigest(_ json: String) throws -> String? {
        struct SBOM: Decodable {
            struct Source: Decodable {
                var type: String
                var digest: String?
            }
            var source: Source
        }
        return try JSONDecoder().decode(SBOM.self, from: Data(json.utf8)).source.digest
    }
}
