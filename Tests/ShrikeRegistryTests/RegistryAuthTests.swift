import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import ShrikeCore
import ShrikeImage
import ShrikeTestSupport

/// Basic auth (a registry with htpasswd) and the bearer-token flow (Support/token_registry.py in front of a registry).
@Suite(.enabled(if: RegistryTests.haveRegistry && RegistryTests.haveSkopeo && RegistryTests.haveShrike
                    && RegistryServer.canMakeHtpasswd && ExternalTool.find("python3") != nil,
                "needs docker-registry, skopeo, htpasswd (apache2-utils), python3 and a built shrike"),
       .serialized)
struct RegistryAuthTests {
    static let user = RegistryServer.User(name: "alice", password: "correct horse")

    @Test("basic auth: flags, environment and ~/.docker/config.json work; none or wrong credentials fail in one line")
    func basicAuth() throws {
        let dir = try RegistryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ImageFixtureBuilder(RegistryTests.smallImage()).writeOCILayout(to: dir + "/layout")
        try RegistryServer.with(user: Self.user) { server in
            try RegistryTests.skopeo(["copy", "oci:\(dir)/layout", "docker://\(server.host)/private/app:1",
                                      "--dest-tls-verify=false", "--dest-creds", "alice:correct horse"], in: dir)
            let target = "registry:\(server.host)/private/app:1"

            let anonymous = try RegistryTests.shrike(["verify", target, "--insecure"])
            #expect(anonymous.status == 2)
            #expect(anonymous.stderr.contains("wants a user name and password"))
            #expect(anonymous.stderr.split(separator: "\n").count == 1)

            let wrong = try RegistryTests.shrike(["verify", target, "--insecure", "--username", "alice", "--password", "nope"])
            #expect(wrong.status == 2)
            #expect(wrong.stderr.contains("access denied (HTTP 401)"))
            #expect(wrong.stderr.split(separator: "\n").count == 1)

            let flags = try RegistryTests.shrike(["verify", target, "--insecure", "--username", "alice", "--password", "correct horse"])
            #expect(flags.status == 0, "\(flags.stderr)")

            let env = try RegistryTests.shrike(["sbom", target, "--insecure"],
                                               environment: ["SHRIKE_REGISTRY_USERNAME": "alice", "SHRIKE_REGISTRY_PASSWORD": "correct horse"])
            #expect(env.status == 0, "\(env.stderr)")

            let config = dir + "/docker"
            try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
            let auth = Data("alice:correct horse".utf8).base64EncodedString()
            try #"{"auths":{"\#(server.host)":{"auth":"\#(auth)"}}}"#.write(toFile: config + "/config.json", atomically: true, encoding: .utf8)
            let file = try RegistryTests.shrike(["sbom", target, "--insecure"], environment: ["DOCKER_CONFIG": config])
            #expect(file.status == 0, "\(file.stderr)")
        }
    }

    @Test("bearer tokens: fetched from the realm with the credentials, cached per scope")
    func bearerTokens() throws {
        let dir = try RegistryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let builder = try ImageFixtureBuilder(RegistryTests.smallImage())
        try builder.writeOCILayout(to: dir + "/layout")
        try RegistryServer.with { backend in
            try RegistryTests.skopeo(["copy", "oci:\(dir)/layout", "docker://\(backend.host)/tok/app:1", "--dest-tls-verify=false"], in: dir)
            let front = try TokenFront(backend: backend, root: dir, user: Self.user)
            let host = "127.0.0.1:\(front.port)"

            let good = try RegistryTests.shrike(["verify", "registry:\(host)/tok/app:1", "--insecure",
                                                 "--username", "alice", "--password", "correct horse"])
            #expect(good.status == 0, "\(good.stderr)")
            // One token for the pull scope served every request of the run.
            let requests = try front.tokenRequests()
            #expect(requests.count == 1)
            #expect(requests.first?.scopes == ["repository:tok/app:pull"])
            #expect(requests.first?.ok == true)

            // Pushing needs pull,push: the client asks for that scope once, then reuses it.
            let client = try RegistryClient(host: host, repository: "tok/app", options: RegistryOptions(
                insecure: true, credentials: RegistryCredentials(username: "alice", password: "correct horse")))
            try client.putBlob(Array("pushed through a token".utf8))
            try client.putBlob(Array("and another".utf8))
            let pushes = try front.tokenRequests().dropFirst()
            #expect(pushes.map(\.scopes).contains(["repository:tok/app:pull,push"]))
            #expect(pushes.count <= 2)

            let bad = try RegistryTests.shrike(["verify", "registry:\(host)/tok/app:1", "--insecure",
                                                "--username", "alice", "--password", "wrong"])
            #expect(bad.status == 2)
            #expect(bad.stderr.contains("the token service refused (HTTP 401)"))
            #expect(bad.stderr.split(separator: "\n").count == 1)
        }
    }
}
