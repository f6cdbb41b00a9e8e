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

    /// The server runs as its own process (a loaded test process would starve it of threads, and schemathesis's
    /// timeouts would then measure the tests, not the server).
    @Test(.enabled(if: ShrikeExecutable.path != nil, "needs the shrike executable (swift build)"))
    func everyAnswerConformsAndNoneIsA5xx() async throws {
        let directory = NSTemporaryDirectory() + "shrike-contract-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try ShrikeServerProcess(directory: directory)
        let admin = try server.token("contract", role: "admin")
        // Something to list: alerts, a host with a running image.
        let status = try server.post("/api/v1/ingest", token: admin, json: ["records": (1...5).map { Records.alert(seq: $0) }
            + [Records.heartbeat(seq: 6, running: ["sha256:" + String(repeating: "ab", count: 32)])]])
        #expect(status == 200)
        let arguments = [Self.schemathesis, "run", RepositoryFiles.path("docs/openapi.json"),
                         "--url", server.url, "--header", "Authorization: Bearer \(admin)",
                         "--checks", "all", "--max-examples", "40", "--seed", "1", "--no-color",
                         "--request-timeout", "60"]
        let result = try await Task.detached {
            try ExternalTool.run(arguments, environment: ["NO_COLOR": "1"])
        }.value
        let summary = result.stdout.split(separator: "\n").suffix(25).joined(separator: "\n")
        #expect(result.status == 0, "schemathesis found failures:\n\(result.stdout.suffix(6000))\n\(result.stderr.suffix(2000))")
        #expect(result.stdout.contains("passed"), "\(summary)")
    }
}
