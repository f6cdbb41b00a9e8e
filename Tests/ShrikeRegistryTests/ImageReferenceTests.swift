import Foundation
import Testing
import ShrikeCore
@testable import ShrikeImage

/// `registry:` reference parsing, Docker Hub normalisation, auth challenges, credentials and Link headers.
struct ImageReferenceTests {
    @Test(arguments: [
        ("alpine", "registry-1.docker.io", "library/alpine", "latest"),
        ("alpine:3.20", "registry-1.docker.io", "library/alpine", "3.20"),
        ("docker.io/library/alpine:3.20", "registry-1.docker.io", "library/alpine", "3.20"),
        ("docker.io/alpine", "registry-1.docker.io", "library/alpine", "latest"),
        ("index.docker.io/team/app:v1", "registry-1.docker.io", "team/app", "v1"),
        ("team/app", "registry-1.docker.io", "team/app", "latest"),
        ("ghcr.io/org/app:1.0", "ghcr.io", "org/app", "1.0"),
        ("127.0.0.1:5000/repo:tag", "127.0.0.1:5000", "repo", "tag"),
        ("localhost/a/b/c", "localhost", "a/b/c", "latest"),
        ("[::1]:5000/repo:x", "[::1]:5000", "repo", "x"),
    ])
    func parsesReferences(input: String, host: String, repository: String, tag: String) throws {
        let reference = try ImageReference(parsing: input)
        #expect(reference.host == host)
        #expect(reference.repository == repository)
        #expect(reference.tag == tag)
        #expect(reference.digest == nil)
    }

    @Test func parsesDigests() throws {
        let hex = String(repeating: "ab", count: 32)
        let pinned = try ImageReference(parsing: "127.0.0.1:5000/repo@sha256:\(hex)")
        #expect(pinned.tag == nil)
        #expect(pinned.digest?.hex == hex)
        #expect(pinned.reference == "sha256:\(hex)")
        let both = try ImageReference(parsing: "127.0.0.1:5000/repo:v1@sha256:\(hex)")
        #expect(both.tag == "v1")
        #expect(both.reference == "sha256:\(hex)")
    }

    @Test(arguments: ["", "Repo/UPPER", "host:5000/repo:bad tag", "repo@sha256:123", "host.io//x", "repo:-x"])
    func rejectsBadReferences(input: String) {
        #expect(throws: ShrikeError.self) { try ImageReference(parsing: input) }
    }

    @Test func registryTargetParses() throws {
        let target = try TargetParser.parse("registry:127.0.0.1:5000/repo:tag")
        #expect(target == .registry(ImageReference(host: "127.0.0.1:5000", repository: "repo", tag: "tag")))
        #expect(target.description == "registry:127.0.0.1:5000/repo:tag")
        #expect(target.typeName == "registry")
    }

    @Test(arguments: [("127.0.0.1:5000", true), ("localhost", true), ("[::1]:80", true), ("127.8.9.1", true),
                      ("10.0.0.1:5000", false), ("registry.example", false), ("localhost.evil.com", false)])
    func loopbackHosts(host: String, loopback: Bool) {
        #expect(ImageReference.isLoopback(host: host) == loopback)
    }

    @Test func insecureIsRefusedForRemoteHosts() {
        #expect(throws: ShrikeError.self) {
            try RegistryClient(host: "registry.example", repository: "a", options: RegistryOptions(insecure: true))
        }
    }

    @Test func parsesBearerChallenge() throws {
        let header = #"Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push""#
        let challenge = try #require(AuthChallenge(header: header))
        #expect(challenge.scheme == "Bearer")
        #expect(challenge.parameters["realm"] == "https://auth.example/token")
        #expect(challenge.parameters["service"] == "registry.example")
        #expect(challenge.parameters["scope"] == "repository:a/b:pull,push")
        let basic = try #require(AuthChallenge(header: #"Basic realm="shrike-test""#))
        #expect(basic.scheme == "Basic")
        #expect(basic.parameters["realm"] == "shrike-test")
    }

    @Test func readsDockerConfigCredentials() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shrike-dockercfg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let auth = Data("alice:s3cret:with:colons".utf8).base64EncodedString()
        let hub = Data("hubuser:hubpass".utf8).base64EncodedString()
        try #"{"auths": {"127.0.0.1:5000": {"auth": "\#(auth)"}, "https://index.docker.io/v1/": {"auth": "\#(hub)"}}}"#
            .write(toFile: dir + "/config.json", atomically: true, encoding: .utf8)
        let environment = ["DOCKER_CONFIG": dir]
        let local = try RegistryCredentials.resolve(for: "127.0.0.1:5000", explicit: nil, environment: environment)
        #expect(local == RegistryCredentials(username: "alice", password: "s3cret:with:colons"))
        let docker = try RegistryCredentials.resolve(for: "registry-1.docker.io", explicit: nil, environment: environment)
        #expect(docker?.username == "hubuser")
        #expect(try RegistryCredentials.resolve(for: "other.example", explicit: nil, environment: environment) == nil)
        // Flags, then the environment, win over the file.
        let flags = RegistryCredentials(username: "f", password: "p")
        #expect(try RegistryCredentials.resolve(for: "127.0.0.1:5000", explicit: flags, environment: environment) == flags)
        let env = try RegistryCredentials.resolve(for: "127.0.0.1:5000", explicit: nil, environment: environment.merging(
            ["SHRIKE_REGISTRY_USERNAME": "e", "SHRIKE_REGISTRY_PASSWORD": "q"]) { $1 })
        #expect(env == RegistryCredentials(username: "e", password: "q"))
    }

    @Test func followsLinkHeaders() {
        #expect(RegistryClient.nextLink(#"</v2/repo/tags/list?last=b&n=2>; rel="next""#) == "/v2/repo/tags/list?last=b&n=2")
        #expect(RegistryClient.nextLink(#"</x>; rel="prev""#) == nil)
    }
}
