import Foundation
import ShrikeTestSupport
import Testing

/// `response: kill` end to end: `shrike watch` with a "Write below binary dir" rule kills
/// `sh -c 'printf payload > /usr/local/bin/x'` from the kernel before a byte lands; the alert, stderr and the incident
/// timeline say so; with `--dry-run-responses` the payload lands and everything says would-kill.
@Suite("response: kill from the kernel", .serialized,
       .enabled(if: geteuid() == 0 && FileManager.default.fileExists(atPath: "/sys/kernel/btf/vmlinux"),
                "needs root and kernel BTF (the eBPF sensor and its response program)"),
       .timeLimit(.minutes(3)))
struct ResponseKillTests {
    /// The path the issue names; the test removes it before and after.
    static let target = "/usr/local/bin/x"

    /// Only `sh` writing in /usr/local/bin: the kill acts machine-wide (the kernel does not know the watch's
    /// --pid scope), so the rule is narrow enough that nothing else on the machine is at risk during the test.
    static let rules = """
        - macro: open_write
          condition: (evt.type in (open, openat, openat2, creat) and evt.is_open_write = true and evt.failed = false)
        - list: bin_dirs
          items: [/usr/local/bin]
        - list: package_mgmt_binaries
          items: [dpkg, apt, apt-get, rpm, yum, dnf]
        - rule: Write below binary dir
          desc: a shell wrote a file below a binary directory
          condition: open_write and fd.directory in (bin_dirs) and proc.name = sh and not proc.pname in (package_mgmt_binaries)
          output: "File below a known binary directory opened for writing (file=%fd.name proc=%proc.name)"
          priority: ERROR
          response: kill
        """

    struct Case: CustomTestStringConvertible, Sendable {
        let dryRun: Bool
        let response: String
        var testDescription: String { dryRun ? "dry run" : "enforcing" }
    }

    @Test(arguments: [Case(dryRun: false, response: "killed"), Case(dryRun: true, response: "would-kill")])
    func writeBelowBinaryDirectory(_ scenario: Case) throws {
        try? FileManager.default.removeItem(atPath: Self.target)
        defer { try? FileManager.default.removeItem(atPath: Self.target) }
        let directory = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.rules.write(toFile: directory + "/rules.yaml", atomically: true, encoding: .utf8)
        let records = directory + "/incidents"
        let watch = try WatchSession(["--rules", directory + "/rules.yaml", "--record-dir", records, "--after", "1"]
                                     + (scenario.dryRun ? ["--dry-run-responses"] : []))
        let writer = try ExternalTool.runCapturingBytes(
            executable: "/bin/sh", arguments: ["-c", "printf payload > \(Self.target); echo survived"],
            environment: nil)
        let alert = watch.waitForAlert("Write below binary dir") { $0["response"] as? String == scenario.response }
        let (status, stderr) = watch.stop()
        let contents = FileManager.default.contents(atPath: Self.target).map { String(decoding: $0, as: UTF8.self) }

        #expect(status == 0, "\(stderr)")
        #expect(alert != nil, "no alert with response \(scenario.response): \(watch.alerts); stderr: \(stderr)")
        #expect(stderr.contains("response: \(scenario.response) pid"), "\(stderr)")
        if scenario.dryRun {
            #expect(writer.exitedNormally && writer.status == 0, "the writer must run to its end in a dry run")
            #expect(String(decoding: writer.stdout, as: UTF8.self).contains("survived"))
            #expect(contents == "payload")
        } else {
            #expect(!writer.exitedNormally && writer.status == SIGKILL, "the writer must die of SIGKILL")
            #expect(!String(decoding: writer.stdout, as: UTF8.self).contains("survived"))
            // The open created the file; the pending SIGKILL stopped the process before its write.
            #expect(contents == nil || contents == "", "the file holds \(contents ?? "")")
        }
        // The response is an event of the incident's timeline.
        let incident = try #require(alert?["incident"] as? String, "the alert was filed under an incident")
        let exported = try ShrikeBinary.run(["incidents", "export", incident, "--format", "json", "--record-dir", records])
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stdoutText.contains("\"response\""), "timeline: \(exported.stdoutText.prefix(2000))")
        #expect(exported.stdoutText.contains(scenario.response), "timeline: \(exported.stdoutText.prefix(2000))")
    }
}
