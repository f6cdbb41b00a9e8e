import Foundation
import ShrikeTestSupport
import Testing

/// Today's upstream Falco rules (falcosecurity/rules main: falco_rules.yaml, falco-incubating_rules.yaml and
/// falco-sandbox_rules.yaml, read
/// unedited from ../shared/data/falco) under `shrike watch`, against real podman containers: the rules whose
/// conditions or outputs use the fields the kernel now fills (`thread.cap_*`, `proc.vpid` in containers,
/// `proc.exe_ino*`, `container.start_ts`) fire when Falco's would and stay quiet when Falco's would.
@Suite("Upstream Falco rules on live containers", .serialized,
       .enabled(if: geteuid() == 0 && FileManager.default.fileExists(atPath: "/sys/kernel/btf/vmlinux")
                    && ExternalTool.find("podman") != nil,
                "needs root, kernel BTF (eBPF sensor) and podman with runc"),
       .enabled(if: SharedData.has("falco/falco-incubating_rules.yaml"),
                Comment(rawValue: SharedData.reason("falco/falco-incubating_rules.yaml"))),
       .timeLimit(.minutes(8)))
struct UpstreamRuleBehaviourTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var rule: String
        var podman: [String]
        var script: String
        /// Nil: the rule must not fire. Otherwise: texts its output must hold.
        var output: [String]?
        var testDescription: String { "\(rule) \(podman.joined(separator: " ")) → \(output == nil ? "quiet" : "alert")" }
    }

    static let cases: [Case] = [
        Case(rule: "Launch Excessively Capable Container", podman: ["--cap-add", "SYS_ADMIN"], script: "sleep 1",
             output: ["cap_permitted=", "CAP_SYS_ADMIN", "process=sh"]),
        Case(rule: "Launch Excessively Capable Container", podman: [], script: "sleep 1", output: nil),
        Case(rule: "Launch Privileged Container", podman: ["--privileged"], script: "sleep 1",
             output: ["Privileged container started"]),
        Case(rule: "Detect release_agent File Container Escapes", podman: ["--privileged"],
             script: "echo x > /tmp/release_agent; sleep 1", output: ["cap_effective=", "CAP_SYS_ADMIN"]),
        Case(rule: "Detect release_agent File Container Escapes", podman: [],
             script: "echo x > /tmp/release_agent; sleep 1", output: nil),
        Case(rule: "Drop and execute new binary in container", podman: [],
             script: "cp /bin/busybox /tmp/dropped && /tmp/dropped true; sleep 1",
             output: ["proc_exe=/tmp/dropped", "proc_exe_ino_ctime=1", "proc_exe_ino_mtime=1",
                      "container_start_ts=1"]),
        // falco-sandbox_rules.yaml: a host directory from the sensitive list mounted into the container.
        Case(rule: "Launch Sensitive Mount Container", podman: ["-v", "/etc:/host-etc:ro"], script: "sleep 1",
             output: ["Container with sensitive mount started", "mounts=/etc:/host-etc:ro:false:"]),
        Case(rule: "Launch Sensitive Mount Container", podman: [], script: "sleep 1", output: nil),
    ]

    @Test(arguments: cases)
    func rule(_ testCase: Case) throws {
        let podman = try #require(ExternalTool.find("podman"))
        try ContainerFieldsTests.importImage(podman: podman)
        let name = "shrike-upstream-\(UUID().uuidString.prefix(8).lowercased())"
        let watch = try WatchSession(["--rules", SharedData.path("falco/falco_rules.yaml"),
                                      "--rules", SharedData.path("falco/falco-incubating_rules.yaml"),
                                      "--rules", SharedData.path("falco/falco-sandbox_rules.yaml"),
                                      "--container", name, "--no-record"])
        let run = try ExternalTool.run([podman] + ContainerFieldsTests.podmanCommon + [
            "--runtime", "runc", "run", "--rm", "--name", name, "--network=none",
            "--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096",
        ] + testCase.podman + [ContainerFieldsTests.image, "sh", "-c", testCase.script])
        let alert = watch.waitForAlert(testCase.rule, timeout: testCase.output == nil ? 2 : 10)
        let (_, stderr) = watch.stop()
        guard let expected = testCase.output else {
            #expect(alert == nil, "\(testCase.rule) fired: \(alert ?? [:])")
            return
        }
        let text = try #require(alert?["output"] as? String,
                                "no alert; podman: \(run.status) \(run.stderr); stderr: \(stderr.suffix(2000))")
        // Epoch-nanosecond fields are expected as `=1…`: filled, not `<NA>`.
        for part in expected { #expect(text.contains(part), "\(part) not in: \(text)") }
    }
}
