import Foundation
import ShrikeTestSupport
import Testing
@testable import ShrikeServer

private let schemathesisPath = RepositoryFiles.path(".venv-schemathesis/bin/schemathesis")

/// schemathesis (the peer tool for OpenAPI contracts, from PyPI) generates thousands of requests from
/// docs/openapi.json against a live server: every answer must conform to the document, nothing may be a 5xx, and
/// requests the document forbids must be refused.
@Suite("Server against its OpenAPI document (schemathesis)",
       .enabled(if: FileManager.default.isExecutableFile(atPath: schemathesisPath),
                "needs .venv-schemathesis (scripts/validators.sh, run by make test, creates it)"))
struct ServerContractTests {
    static let schemathesis = schemathesisPath

    @Test func everyAnswerConformsAndNoneIsA5xx() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let admin = try await server.token(.admin, name: "contract")
        // Something to list: alerts, a host with a running image.
        _ = try await server.ingest((1...5).map { Records.alert(seq: $0) }
                                    + [Records.heartbeat(seq: 6, running: ["sha256:" + String(repeating: "ab", count: 32)])],
                                    token: admin)
        let arguments = [Self.schemathesis, "run", RepositoryFiles.path("docs/openapi.json"),
                         "--url", "http://127.0.0.1:\(server.port)", "--header", "Authorization: Bearer \(admin)",
                         "--checks", "all", "--max-examples", "40", "--seed", "1", "--no-color"]
        let result = try await Task.detached {
            try ExternalTool.run(arguments, environment: ["SCHEMATHESIS_HOOKS": "", "NO_COLOR": "1"])
        }.value
        let summary = result.stdout.split(separator: "\n").suffix(25).joined(separator: "\n")
        #expect(result.status == 0, "schemathesis found failures:\n\(result.stdout.suffix(6000))\n\(result.stderr.suffix(2000))")
        #expect(result.stdout.contains("passed"), "\(summary)")
    }
}
