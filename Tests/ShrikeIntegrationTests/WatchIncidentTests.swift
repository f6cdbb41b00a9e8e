import Foundation
import ShrikeTestSupport
import Testing

/// `shrike watch` files alerts under incidents and keeps them across a stop: an alert while the after-window is
/// still open, SIGTERM, and the incident is on disk with its process tree and files.
@Suite("shrike watch incidents", .serialized,
       .enabled(if: geteuid() == 0 && FileManager.default.fileExists(atPath: "/sys/kernel/btf/vmlinux"),
                "needs root and kernel BTF to load the eBPF sensor"),
       .timeLimit(.minutes(3)))
struct WatchIncidentTests {
    @Test func anIncidentOpenAtSIGTERMIsSavedAndShown() throws {
        let shrike = try #require(ShrikeExecutable.path, "the shrike executable is not built")
        let directory = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let records = directory + "/incidents"
        let script = try GatedScript("echo before > note; sleep 0.3; cat /etc/shadow > /dev/null; echo after > note2",
                                     in: directory)
        let watch = try WatchSession(["--pid", String(script.pid), "--record-dir", records, "--before", "10",
                                      "--after", "60"])
        _ = script.go(timeout: 30)
        let alert = try #require(watch.waitForAlert("Sensitive file read by an untrusted program"),
                                 "no alert; alerts: \(watch.alerts)")
        let incident = try #require(alert["incident"] as? String, "the alert names no incident: \(alert)")
        #expect(incident.hasPrefix("inc-"))
        // Stop long before the 60 s after-window ends: the open incident must be closed and saved.
        watch.process.terminate()
        let (status, stderr) = watch.stop()
        #expect(status == 0, "shrike watch exited \(status): \(stderr)")
        #expect(stderr.contains("incident \(incident) saved"))

        let list = try ExternalTool.run([shrike, "incidents", "list", "--record-dir", records])
        #expect(list.status == 0)
        #expect(list.stdout.contains(incident))
        let show = try ExternalTool.run([shrike, "incidents", "show", incident, "--record-dir", records])
        #expect(show.status == 0, "show failed: \(show.stderr)")
        #expect(show.stdout.contains("cat /etc/shadow"))
        #expect(show.stdout.contains("/etc/shadow"))
        #expect(show.stdout.contains("\(directory)/note"), "the file written before the alert is in the timeline")

        let export = try ExternalTool.run([shrike, "incidents", "export", incident, "--format", "json",
                                           "--record-dir", records])
        #expect(export.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any])
        #expect((object["incident"] as? [String: Any])?["id"] as? String == incident)
    }
}
