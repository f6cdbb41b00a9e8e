import Foundation
import ShrikeTestSupport
import Testing

/// `shrike watch` with the recorder on captures DNS answers: a process resolves a name through a test DNS server,
/// connects to the address, then trips a default rule; the incident's timeline shows the name next to the address
/// in `show`, in the JSON export and in the HTML export.
@Suite("shrike watch host names", .serialized,
       .enabled(if: geteuid() == 0 && FileManager.default.fileExists(atPath: "/sys/kernel/btf/vmlinux"),
                "needs root and kernel BTF to load the eBPF sensor"),
       .enabled(if: TestDNSServer.unavailableReason == nil, "needs python3, unshare, mount, getent, bash and timeout"),
       .timeLimit(.minutes(3)))
struct WatchHostNameTests {
    @Test func theIncidentTimelineNamesTheAddressADNSAnswerGave() throws {
        let shrike = try #require(ShrikeExecutable.path, "the shrike executable is not built")
        let directory = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let records = directory + "/incidents"
        let server = try TestDNSServer()
        let lookup = directory + "/lookup.txt"
        let client = try server.resolvingCommand(TestDNSServer.lookupAndConnect(lookupOutput: lookup))
        let script = try GatedScript(client.joined(separator: " ") + "; cat /etc/shadow > /dev/null", in: directory)
        let watch = try WatchSession(["--pid", String(script.pid), "--record-dir", records, "--before", "10",
                                      "--after", "60"])
        _ = script.go(timeout: 30)
        let alert = try #require(watch.waitForAlert("Sensitive file read by an untrusted program"),
                                 "no alert; alerts: \(watch.alerts)")
        let incident = try #require(alert["incident"] as? String, "the alert names no incident: \(alert)")
        let (status, stderr) = watch.stop()
        #expect(status == 0, "shrike watch exited \(status): \(stderr)")
        #expect(!stderr.contains("DNS answers are not captured"), "\(stderr)")
        let resolved = (try? String(contentsOfFile: lookup, encoding: .utf8)) ?? ""
        #expect(resolved.contains(TestDNSServer.address), "getent did not resolve through the test server: '\(resolved)'")

        let export = try ExternalTool.run([shrike, "incidents", "export", incident, "--format", "json",
                                           "--record-dir", records])
        #expect(export.status == 0, "export failed: \(export.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any])
        let connections = (object["network"] as? [String: Any])?["connections"] as? [[String: Any]] ?? []
        let connection = try #require(connections.first { $0["address"] as? String == TestDNSServer.address },
                                      "no connection to \(TestDNSServer.address) in \(connections)")
        #expect(connection["hostName"] as? String == TestDNSServer.name)
        #expect(connection["port"] as? Int == 80)

        let expected = "\(TestDNSServer.address):80 (\(TestDNSServer.name))"
        let show = try ExternalTool.run([shrike, "incidents", "show", incident, "--record-dir", records])
        #expect(show.status == 0, "show failed: \(show.stderr)")
        #expect(show.stdout.contains(expected), "show lacks '\(expected)':\n\(show.stdout)")

        let html = try ExternalTool.run([shrike, "incidents", "export", incident, "--format", "html",
                                         "--record-dir", records])
        #expect(html.status == 0)
        #expect(html.stdout.contains(expected))
    }
}
