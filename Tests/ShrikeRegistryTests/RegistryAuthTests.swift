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

    /// The token front: python3 Support/token_registry.py, stopped with the test.
    final class TokenFront {
        let process = Process()
        /// The server exits when this pipe closes (deinit, or this process dying), so it cannot be leaked.
        let lifeline = Pipe()
        let port: Int
        let log: String

        init(backend: RegistryServer, root: String) throws {
            let portFile = root + "/token-port"
            log = root + "/tokens.log"
            process.executableURL = URL(fileURLWithPath: ExternalTool.find("python3") ?? "/usr/bin/python3")
            process.arguments = [RepositoryFiles.path("Tests/ShrikeRegistryTests/Support/token_registry.py"),
                                 "--backend", backend.host, "--user", RegistryAuthTests.user.name,
                                 "--password", RegistryAuthTests.user.password,
                                 "--port-file", portFile, "--log", log]
            process.standardInput = lifeline
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            var found: Int?
            for _ in 0..<200 {
                if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let value = Int(text) {
                    found = value
                    break
                }
                usleep(50_000)
            }
            guard let found else {
                Self.stop(process, lifeline)
                throw RegistryServerError("the token server did not start")
            }
            port = found
        }

        deinit { Self.stop(process, lifeline) }

        /// Closes the lifeline, waits at most 5 s, then kills (never waits unbounded).
        static func stop(_ process: Process, _ lifeline: Pipe) {
            try? lifeline.fileHandleForWriting.close()
            for _ in 0..<100 where process.isRunning { usleep(50_000) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }

        struct Entry: Decodable {
            var scopes: [String]
            var ok: Bool
        }

        func tokenRequests() throws -> [Entry] {
            guard let data = FileManager.default.contents(atPath: log) else { return [] }
            return try data.split(separator: UInt8(ascii: "\n")).map { try JSONDecoder().decode(Entry.self, from: Data($0)) }
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
            let front = try TokenFront(backend: backend, root: dir)
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

    @Test("tags are listed across pages by following Link headers (through the token front, which paginates)")
    func tagPagination() throws {
        let dir = try RegistryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let image = try ImageFixtureBuilder(RegistryTests.smallImage()).image
        try RegistryServer.with { backend in
            let front = try TokenFront(backend: backend, root: dir)
            let client = try RegistryClient(host: "127.0.0.1:\(front.port)", repository: "paged/app", options: RegistryOptions(
                insecure: true, credentials: RegistryCredentials(username: "alice", password: "correct horse")))
            try client.putBlob(image.config)
            for layer in image.layers { try client.putBlob(layer.blob) }
            for tag in ["e", "d", "c", "b", "a"] {
                try client.putManifest(image.manifest, mediaType: ShrikeImage.MediaType.ociManifest, reference: tag)
            }
            let before = client.roundTrips
            #expect(try client.tags(pageSize: 2) == ["a", "b", "c", "d", "e"])
            #expect(client.roundTrips - before == 3, "3 pages of at most 2 tags")
        }
    }
}
