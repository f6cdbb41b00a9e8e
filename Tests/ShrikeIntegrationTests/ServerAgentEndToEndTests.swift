import Foundation
import ShrikeTestSupport
import Testing

/// The whole fleet path with real processes: `shrike server` (SQLite) on loopback with tokens, `shrike watch
/// --server` on this host, a default rule triggered for real. The alert reaches the API within 2 s with its host and
/// incident id, and the incident's timeline from the API holds the commands run before and after it.
@Suite("Server and agent end to end", .serialized,
       .enabled(if: geteuid() == 0 && FileManager.default.fileExists(atPath: "/sys/kernel/btf/vmlinux"),
                "needs root and kernel BTF to load the eBPF sensor"),
       .timeLimit(.minutes(3)))
struct ServerAgentEndToEndTests {
    typealias ServerProcess = ShrikeServerProcess

    /// Over plain HTTP on loopback, and over HTTPS with the server's CA given to the agent with `--ca-file`.
    @Test(arguments: [false, true])
    func anAlertAndItsIncidentReachTheServer(tls: Bool) throws {
        let directory = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certificates = tls ? try TestCertificates(in: directory) : nil
        let server = try ServerProcess(directory: directory, tls: certificates?.serverTLS())
        let agentToken = try server.token("node-e2e", role: "agent")
        let viewer = try server.token("ops", role: "viewer")
        try (agentToken + "\n").write(toFile: directory + "/agent.token", atomically: true, encoding: .utf8)
        chmod(directory + "/agent.token", 0o600)

        let script = try GatedScript("""
            /bin/true before-the-alert; sleep 0.3; cat /etc/shadow > /dev/null; sleep 0.2; ls \(directory) > /dev/null
            """, in: directory)
        let watch = try WatchSession(["--pid", String(script.pid), "--server", server.url,
                                      "--token-file", directory + "/agent.token", "--spool-dir", directory + "/spool",
                                      "--record-dir", directory + "/incidents", "--before", "10", "--after", "1",
                                      "--heartbeat", "1"] + (certificates.map { ["--ca-file", $0.ca] } ?? []))
        _ = script.go(timeout: 30)
        let local = try #require(watch.waitForAlert("Sensitive file read by an untrusted program"),
                                 "no local alert; alerts: \(watch.alerts)")
        let printed = Date()
        let incident = try #require(local["incident"] as? String)

        var remote: [String: Any]?
        while remote == nil, Date().timeIntervalSince(printed) < 2 {
            let items = try server.get("/api/v1/alerts?rule=Sensitive%20file%20read%20by%20an%20untrusted%20program",
                                       token: viewer)["items"] as? [[String: Any]] ?? []
            remote = items.first
            if remote == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        let alert = try #require(remote, "the alert was not in the API within 2 s of being printed")
        #expect(alert["agent"] as? String == "node-e2e")
        #expect(alert["incident"] as? String == incident)
        #expect((alert["hostname"] as? String)?.isEmpty == false)
        #expect((alert["id"] as? String)?.hasPrefix("node-e2e/") == true)

        // The incident closes one second after its last alert, is saved, and shipped.
        var timeline: [String: Any] = [:]
        let deadline = Date().addingTimeInterval(20)
        while timeline.isEmpty, Date() < deadline {
            timeline = try server.get("/api/v1/incidents/\(incident)", token: viewer)
            if timeline.isEmpty { Thread.sleep(forTimeInterval: 0.2) }
        }
        let (status, stderr) = watch.stop()
        #expect(status == 0, "shrike watch exited \(status): \(stderr)")
        #expect((timeline["incident"] as? [String: Any])?["id"] as? String == incident, "no incident: \(stderr)")
        let commands = (timeline["processes"] as? [[String: Any]] ?? []).compactMap { $0["commandLine"] as? String }
        #expect(commands.contains { $0.contains("true before-the-alert") }, "before the alert: \(commands)")
        #expect(commands.contains { $0.contains("cat /etc/shadow") }, "\(commands)")
        #expect(commands.contains { $0.hasPrefix("ls ") }, "after the alert: \(commands)")
        let hosts = try server.get("/api/v1/hosts", token: viewer)["items"] as? [[String: Any]] ?? []
        #expect(hosts.map { $0["agent"] as? String } == ["node-e2e"])
    }

    /// Durability: the server is killed (SIGKILL) while the agent runs, 200 alerts fire, the agent is killed too and
    /// started again on its spool, then the server comes back: every alert the agent printed arrives exactly once.
    @Test func alertsSurviveAKilledServerAndAKilledAgent() throws {
        let directory = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var server = try ServerProcess(directory: directory)
        let port = server.port
        let agentToken = try server.token("node-d", role: "agent")
        let viewer = try server.token("ops", role: "viewer")
        try (agentToken + "\n").write(toFile: directory + "/agent.token", atomically: true, encoding: .utf8)
        chmod(directory + "/agent.token", 0o600)
        let rule = "Sensitive file read by an untrusted program"
        let script = try GatedScript("""
            for i in $(seq 1 200); do cat /etc/shadow > /dev/null; done
            """, in: directory)
        let arguments = ["--pid", String(script.pid), "--server", "http://127.0.0.1:\(port)",
                         "--token-file", directory + "/agent.token", "--spool-dir", directory + "/spool",
                         "--record-dir", directory + "/incidents", "--dedup-window", "0", "--heartbeat", "1"]
        let first = try WatchSession(arguments)
        server.kill9()
        _ = script.go(timeout: 60)
        let deadline = Date().addingTimeInterval(30)
        while first.alerts.filter({ $0["rule"] as? String == rule }).count < 200, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
        }
        let printed = first.alerts.filter { $0["rule"] as? String == rule }
        #expect(printed.count == 200)
        // Give the spool writer its moment (it appends within milliseconds), then kill the agent without warning.
        Thread.sleep(forTimeInterval: 1)
        kill(first.process.processIdentifier, SIGKILL)
        first.process.waitUntilExit()

        let second = try WatchSession(arguments)
        server = try ServerProcess(directory: directory, port: port)
        var stored: [[String: Any]] = []
        let arrival = Date().addingTimeInterval(60)
        repeat {
            Thread.sleep(forTimeInterval: 0.5)
            stored = []
            var cursor: String?
            repeat {
                let page = try server.get("/api/v1/alerts?limit=1000" + (cursor.map { "&cursor=\($0)" } ?? ""),
                                          token: viewer)
                stored += page["items"] as? [[String: Any]] ?? []
                cursor = page["next"] as? String
            } while cursor != nil
        } while stored.filter({ $0["rule"] as? String == rule }).count < printed.count && Date() < arrival
        let (status, stderr) = second.stop()
        #expect(status == 0, "the restarted watch exited \(status): \(stderr)")
        let arrived = stored.filter { $0["rule"] as? String == rule }
        #expect(arrived.count == printed.count, "printed \(printed.count), stored \(arrived.count)")
        // Exactly once: the same alert (its time and pid) never twice.
        let keys = arrived.map { "\($0["time"] ?? "")|\(($0["output_fields"] as? [String: Any])?["proc.pid"] ?? "")" }
        #expect(Set(keys).count == arrived.count, "duplicates among the stored alerts")
        #expect(Set(keys) == Set(printed.map { "\($0["time"] ?? "")|\(($0["output_fields"] as? [String: Any])?["proc.pid"] ?? "")" }))
    }
}
