import Foundation
import Testing
import ShrikeTestSupport

/// Bad registry inputs end in one line on stderr and exit 2.
@Suite(.enabled(if: RegistryTests.haveShrike, "needs a built shrike"), .serialized)
struct RegistryErrorTests {
    @Test("an unreachable registry")
    func unreachable() throws {
        let port = try RegistryServer.freePort()
        let run = try RegistryTests.shrike(["sbom", "registry:127.0.0.1:\(port)/repo:tag", "--insecure"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("cannot connect: connection refused"), "\(run.stderr)")
        #expect(run.stderr.contains("127.0.0.1:\(port)"))
        #expect(run.stderr.split(separator: "\n").count == 1)
    }

    @Test("HTTPS to a plain-HTTP local registry suggests --insecure",
          .enabled(if: RegistryTests.haveRegistry, "docker-registry is not installed"))
    func httpsToPlainRegistry() throws {
        try RegistryServer.with { server in
            let run = try RegistryTests.shrike(["verify", "registry:\(server.host)/repo:tag"])
            #expect(run.status == 2)
            #expect(run.stderr.contains("TLS handshake failed (the server may not speak HTTPS) (for a plain-HTTP local registry add --insecure)"), "\(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1)
        }
    }

    @Test("a repository or tag that does not exist", .enabled(if: RegistryTests.haveRegistry, "docker-registry is not installed"))
    func notFound() throws {
        try RegistryServer.with { server in
            for command in ["sbom", "verify"] {
                let run = try RegistryTests.shrike([command, "registry:\(server.host)/no/such:tag", "--insecure"])
                #expect(run.status == 2)
                #expect(run.stderr.contains("not found"))
                #expect(run.stderr.contains("\(server.host)/no/such"))
                #expect(run.stderr.split(separator: "\n").count == 1)
            }
        }
    }

    @Test("--insecure is refused for a non-loopback host", arguments: ["registry.example:5000/a:b", "10.1.2.3/a"])
    func insecureRemote(reference: String) throws {
        let run = try RegistryTests.shrike(["sbom", "registry:\(reference)", "--insecure"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("only allowed for loopback registries"))
        #expect(run.stderr.split(separator: "\n").count == 1)
    }

    @Test("a bad reference and a missing CA file", arguments: [
        (["sbom", "registry:Bad/Name"], "not a valid repository name"),
        (["sbom", "registry:127.0.0.1:1/a:b", "--ca-file", "/nonexistent/ca.pem"], "cannot read CA certificates"),
        (["sbom", "registry:127.0.0.1:1/a:b", "--username", "u"], "--username and --password go together"),
    ])
    func badInputs(arguments: [String], message: String) throws {
        let run = try RegistryTests.shrike(arguments)
        #expect(run.status == 2)
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }
}
