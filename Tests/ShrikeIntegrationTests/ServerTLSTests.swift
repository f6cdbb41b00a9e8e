import Foundation
import ShrikeTestSupport
import Testing

/// `shrike server --tls-cert/--tls-key` (and `--tls-client-ca`) as a user runs it, with certificates the real
/// `openssl` made: who gets through (curl with the right CA, the wrong one, none, plain HTTP, with and without a
/// client certificate), the console's session cookie (`Secure` exactly when the server speaks TLS), and an agent's
/// upload trusting the server through `--server-ca-file`.
@Suite("Server over TLS", .enabled(if: ShrikeBinary.isBuilt, "needs the shrike executable (swift build)"),
       .timeLimit(.minutes(3)))
struct ServerTLSTests {
    /// One client's attempt: its curl options, which server (client certificates required or not), and whether
    /// it gets the page.
    struct Attempt: Sendable, CustomTestStringConvertible {
        var name: String
        var requireClient: Bool
        var plainHTTP = false
        var options: @Sendable (TestCertificates) -> [String]
        var admitted: Bool
        var testDescription: String { name }
    }

    static let attempts: [Attempt] = [
        Attempt(name: "the server's CA trusted", requireClient: false, options: { ["--cacert", $0.ca] }, admitted: true),
        Attempt(name: "only the system's CAs", requireClient: false, options: { _ in [] }, admitted: false),
        Attempt(name: "someone else's CA", requireClient: false, options: { ["--cacert", $0.otherCA] }, admitted: false),
        Attempt(name: "plain HTTP to the TLS port", requireClient: false, plainHTTP: true, options: { _ in [] },
                admitted: false),
        Attempt(name: "client certificate required, none given", requireClient: true, options: { ["--cacert", $0.ca] },
                admitted: false),
        Attempt(name: "a client certificate the client CA signed", requireClient: true,
                options: { ["--cacert", $0.ca, "--cert", $0.clientCertificate, "--key", $0.clientKey] }, admitted: true),
        Attempt(name: "a client certificate another CA signed", requireClient: true,
                options: { ["--cacert", $0.ca, "--cert", $0.serverCertificate, "--key", $0.serverKey] }, admitted: false),
    ]

    static func curl(_ arguments: [String]) throws -> (status: Int32, code: String, output: String) {
        let result = try ExternalTool.run(["curl", "-s", "-S", "--max-time", "10"] + arguments)
        return (result.status, result.stdout, result.stdout + result.stderr)
    }

    @Test("who gets through", arguments: attempts)
    func whoGetsThrough(_ attempt: Attempt) throws {
        let directory = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certificates = try TestCertificates(in: directory)
        let server = try ShrikeServerProcess(directory: directory,
                                             tls: certificates.serverTLS(requireClient: attempt.requireClient))
        #expect(server.url.hasPrefix("https://"))
        let url = (attempt.plainHTTP ? "http" : "https") + "://127.0.0.1:\(server.port)/healthz"
        let (status, code, output) = try Self.curl(attempt.options(certificates) + ["-o", "/dev/null", "-w",
                                                                                      "%{http_code}", url])
        if attempt.admitted {
            #expect(status == 0 && code == "200", "\(output)")
        } else {
            #expect(status != 0 || code != "200", "admitted: \(output)")
            // 60: the certificate is not trusted; 35, 56, 52: the handshake or the connection was refused.
            #expect([35, 52, 56, 60].contains(status), "curl exit \(status): \(output)")
        }
    }

    @Test("the console's cookie is Secure exactly when the server speaks TLS, HttpOnly and SameSite=Strict always",
          arguments: [false, true])
    func sessionCookieIsSecureOverTLS(tls: Bool) throws {
        let directory = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certificates = try TestCertificates(in: directory)
        let server = try ShrikeServerProcess(directory: directory, tls: tls ? certificates.serverTLS() : nil)
        let link = try ShrikeBinary.run(["server", "login-link", "--database", server.database, "--url", server.url])
        #expect(link.status == 0, "\(link.stderr)")
        let url = link.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(url.hasPrefix(server.url + "/login/once?code="), "\(url)")

        let trust = tls ? ["--cacert", certificates.ca] : []
        let (status, headers, output) = try Self.curl(trust + ["-o", "/dev/null", "-D", "-", url])
        #expect(status == 0, "\(output)")
        let cookie = headers.split(separator: "\r\n").first { $0.lowercased().hasPrefix("set-cookie:") }
            .map(String.init) ?? ""
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "\(headers)")
        #expect(cookie.contains("; Secure") == tls, "\(cookie)")

        // The cookie signs in: the feed answers 200 with it (and a redirect to the sign-in page without).
        let value = cookie.dropFirst("set-cookie: ".count).prefix { $0 != ";" }
        let signedIn = try Self.curl(trust + ["-o", "/dev/null", "-w", "%{http_code}", "-H", "Cookie: \(value)",
                                              server.url + "/"])
        #expect(signedIn.code == "200", "\(signedIn.output)")
        let signedOut = try Self.curl(trust + ["-o", "/dev/null", "-w", "%{http_code}", server.url + "/"])
        #expect(signedOut.code == "303" || signedOut.code == "302", "\(signedOut.output)")
    }

    @Test("an SBOM uploads over HTTPS with --server-ca-file; without it nothing arrives, the warning names the certificate and the record waits in the spool")
    func uploadTrustsTheServerThroughTheCAFile() throws {
        let directory = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certificates = try TestCertificates(in: directory)
        let server = try ShrikeServerProcess(directory: directory, tls: certificates.serverTLS())
        let agent = try server.token("node-tls", role: "agent")
        let viewer = try server.token("ops", role: "viewer")
        try (agent + "\n").write(toFile: directory + "/agent.token", atomically: true, encoding: .utf8)
        chmod(directory + "/agent.token", 0o600)
        let builder = try ImageFixtureBuilder(ImageFixture(layers: [
            LayerFixture(tar: ImageSourceFixtures.uncompressedAlpine("3.20.3"))]))
        try #require(!ImageSourceFixtures.alpineTar.isEmpty, "the bundled Alpine rootfs fixture is missing")
        try builder.writeDockerArchive(to: directory + "/image.tar")
        let upload = ["sbom", "docker-archive:" + directory + "/image.tar", "-o", "json", "--server", server.url,
                      "--token-file", directory + "/agent.token", "--spool-dir", directory + "/spool"]

        let distrusted = try ShrikeBinary.run(upload)
        #expect(distrusted.status == 0, "the SBOM itself was made: \(distrusted.stderr)")
        #expect(distrusted.stderr.lowercased().contains("certificate"), "\(distrusted.stderr)")
        #expect(!distrusted.stderr.contains("uploaded to"), "\(distrusted.stderr)")
        #expect((try server.get("/api/v1/images", token: viewer)["items"] as? [Any])?.isEmpty == true)

        let trusted = try ShrikeBinary.run(upload + ["--server-ca-file", certificates.ca])
        #expect(trusted.status == 0, "\(trusted.stderr)")
        #expect(trusted.stderr.contains("uploaded to \(server.url)"), "\(trusted.stderr)")
        let images = try server.get("/api/v1/images", token: viewer)["items"] as? [[String: Any]] ?? []
        #expect(images.count == 1, "\(images)")
        #expect((images.first?["packages"] as? Int ?? 0) > 10, "\(images)")
    }

    @Test("a server that requires client certificates takes an agent's upload with --server-client-cert/--server-client-key")
    func uploadPresentsTheClientCertificate() throws {
        let directory = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certificates = try TestCertificates(in: directory)
        let server = try ShrikeServerProcess(directory: directory, tls: certificates.serverTLS(requireClient: true))
        try (try server.token("node-mtls", role: "agent") + "\n").write(toFile: directory + "/agent.token",
                                                                        atomically: true, encoding: .utf8)
        chmod(directory + "/agent.token", 0o600)
        let viewer = try server.token("ops", role: "viewer")
        let builder = try ImageFixtureBuilder(ImageFixture(layers: [
            LayerFixture(tar: ImageSourceFixtures.uncompressedAlpine("3.20.3"))]))
        try builder.writeDockerArchive(to: directory + "/image.tar")
        let upload = try ShrikeBinary.run([
            "sbom", "docker-archive:" + directory + "/image.tar", "-o", "json", "--server", server.url,
            "--token-file", directory + "/agent.token", "--spool-dir", directory + "/spool",
            "--server-ca-file", certificates.ca, "--server-client-cert", certificates.clientCertificate,
            "--server-client-key", certificates.clientKey])
        #expect(upload.status == 0 && upload.stderr.contains("uploaded to"), "\(upload.stderr)")
        #expect((try server.get("/api/v1/images", token: viewer)["items"] as? [Any])?.count == 1)
    }

    @Test("--server-client-cert without its key, or without --server, is refused before anything runs",
          arguments: [["--server-client-cert", "c.pem"], ["--server-client-key", "k.pem"],
                      ["--server-client-cert", "c.pem", "--server-client-key", "k.pem"]])
    func clientCertificateFlagsGoTogether(_ flags: [String]) throws {
        let withServer = flags.count == 2 ? ["--server", "https://127.0.0.1:1", "--token-file", "/dev/null"] : []
        let run = try ShrikeBinary.run(["sbom", "dir:/nonexistent"] + withServer + flags)
        #expect(run.status == 2, "usage errors exit 2: \(run.stderr)")
        #expect(run.stderr.contains("--server-client-cert"), "\(run.stderr)")
    }
}
