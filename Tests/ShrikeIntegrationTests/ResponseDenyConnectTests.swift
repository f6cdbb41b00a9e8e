import Foundation
import ShrikeTestSupport
import Testing

/// `response: deny-connect` end to end: a podman container (runc, the Alpine minirootfs imported offline) that a
/// rule names by container.name gets cgroup/connect4|6 programs on its cgroup as soon as it starts; its connect to a
/// host listener fails with EPERM and the listener accepts nothing, while the allow-listed port still works. With
/// `--dry-run-responses` both connects go through and the alert says would-deny.
@Suite("response: deny-connect on a container", .serialized,
       .enabled(if: geteuid() == 0 && FileManager.default.fileExists(atPath: "/sys/kernel/btf/vmlinux")
                    && ExternalTool.find("podman") != nil && ExternalTool.find("python3") != nil,
                "needs root, kernel BTF, podman with runc and python3 (the host listener)"),
       .timeLimit(.minutes(5)))
struct ResponseDenyConnectTests {
    static let podmanCommon = ["--cgroup-manager=cgroupfs", "--events-backend=file"]
    static let image = "localhost/shrike-response-alpine:test"

    /// Two TCP listeners on 127.0.0.1 that log every accepted connection (`accepted PORT`) to `log`.
    static func listeners(log: String) throws -> (Process, [Int]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(ExternalTool.find("python3")))
        process.arguments = ["-c", """
            import socket, sys, threading, time
            out = open(sys.argv[1], "w", buffering=1)
            ports = []
            for _ in range(2):
                s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8); ports.append(s.getsockname()[1])
                def serve(s=s):
                    while True:
                        c, _ = s.accept(); out.write("accepted %d\\n" % s.getsockname()[1]); c.close()
                threading.Thread(target=serve, daemon=True).start()
            print(" ".join(map(str, ports)), flush=True)
            time.sleep(120)
            """, log]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        let ports = line.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        try #require(ports.count == 2, "the listener did not start: '\(line)'")
        return (process, ports)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let dryRun: Bool
        var testDescription: String { dryRun ? "dry run" : "enforcing" }
    }

    @Test(arguments: [Case(dryRun: false), Case(dryRun: true)])
    func containerCannotReachTheHostListener(_ scenario: Case) throws {
        let podman = try #require(ExternalTool.find("podman"))
        let imported = try ExternalTool.run([podman] + Self.podmanCommon
                                            + ["import", RepositoryFiles.alpineRootfs("3.20.3"), Self.image])
        try #require(imported.status == 0, "podman import failed: \(imported.stderr)")
        let directory = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = directory + "/accepted.log"
        let (listener, ports) = try Self.listeners(log: log)
        // SIGKILL: the test runner may have SIGTERM ignored, and children inherit that.
        defer { kill(listener.processIdentifier, SIGKILL) }
        let (denied, allowed) = (ports[0], ports[1])
        let name = "shrike-deny-\(UUID().uuidString.prefix(8).lowercased())"
        try """
            - rule: Container must not connect out
              desc: the container may only reach its allow-listed service
              condition: evt.type = connect and container.name = \(name)
              output: "Outbound connect from a cut-off container (dst=%fd.name proc=%proc.name)"
              priority: WARNING
              response: deny-connect
              response_allow: ["127.0.0.1:\(allowed)"]
            """.write(toFile: directory + "/rules.yaml", atomically: true, encoding: .utf8)
        let watch = try WatchSession(["--rules", directory + "/rules.yaml", "--no-record"]
                                     + (scenario.dryRun ? ["--dry-run-responses"] : []))
        // The sleep gives the watch the container's first event (its exec) to attach on before nc runs.
        let run = try ExternalTool.run([podman] + Self.podmanCommon + [
            "--runtime", "runc", "run", "--rm", "--name", name, "--network=host",
            "--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096", Self.image, "sh", "-c",
            // busybox wget prints why a connect failed (its nc does not).
            "sleep 1; wget -q -O- -T 2 http://127.0.0.1:\(denied)/ 2>&1; echo \"denied=$?\"; "
                + "echo b | nc 127.0.0.1 \(allowed); echo \"allowed=$?\"",
        ])
        let expected = scenario.dryRun ? "would-deny" : "denied"
        let alert = watch.waitForAlert("Container must not connect out") { $0["response"] as? String == expected }
        let (status, stderr) = watch.stop()
        Thread.sleep(forTimeInterval: 0.3)
        let accepted = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""

        #expect(status == 0, "\(stderr)")
        #expect(stderr.contains("deny-connect for rule 'Container must not connect out' attached to container"),
                "\(stderr)")
        #expect(alert != nil, "no alert with response \(expected): \(watch.alerts); stderr: \(stderr)")
        #expect(stderr.contains("response: \(expected) pid"), "\(stderr)")
        #expect(run.stdout.contains("allowed=0"), "podman: \(run.stdout) \(run.stderr)")
        #expect(accepted.contains("accepted \(allowed)"), "the allow-listed port must still work: \(accepted)")
        if scenario.dryRun {
            #expect(accepted.contains("accepted \(denied)"), "a dry run must let the connect through: \(accepted)")
        } else {
            #expect(run.stdout.contains("Operation not permitted"),
                    "the container's connect must fail with EPERM: \(run.stdout) \(run.stderr)")
            #expect(!accepted.contains("accepted \(denied)"), "the listener accepted a refused connect: \(accepted)")
        }
    }
}
