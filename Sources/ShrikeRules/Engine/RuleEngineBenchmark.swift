import Foundation
import ShrikeSensor

/// A repeatable throughput measurement of `RuleEngine.evaluate`: ~30 rules in Falco's style over a mix of opens,
/// execs, connects, forks and exits, on one thread. `shrike rules bench` (hidden) prints its result.
public enum RuleEngineBenchmark {
    public struct Result: Sendable {
        public var events: Int
        public var seconds: Double
        public var alerts: Int
        public var rules: Int
        public var eventsPerSecond: Double { seconds > 0 ? Double(events) / seconds : 0 }
    }

    /// The rule file measured: Falco-style macros and lists, 30 rules.
    public static var rulesYAML: String {
        var text = """
            - list: shell_binaries
              items: [ash, bash, csh, ksh, sh, tcsh, zsh, dash]
            - list: package_mgmt_binaries
              items: [dpkg, apt, apt-get, rpm, yum, dnf, apk, pip, pip3, npm, gem]
            - list: sensitive_file_names
              items: [/etc/shadow, /etc/sudoers, /etc/pam.conf, /etc/security/pwquality.conf]
            - list: rfc_1918_addresses
              items: ['"10.0.0.0/8"', '"172.16.0.0/12"', '"192.168.0.0/16"']
            - macro: open_write
              condition: (evt.type in (open,openat,openat2) and evt.is_open_write=true and fd.typechar='f' and fd.num>=0)
            - macro: open_read
              condition: (evt.type in (open,openat,openat2) and evt.is_open_read=true and fd.typechar='f' and fd.num>=0)
            - macro: spawned_process
              condition: (evt.type in (execve, execveat) and evt.dir=<)
            - macro: container
              condition: (container.id != host)
            - macro: bin_dir
              condition: (fd.directory in (/bin, /sbin, /usr/bin, /usr/sbin))
            - macro: shell_procs
              condition: proc.name in (shell_binaries)
            - macro: package_mgmt_procs
              condition: proc.name in (package_mgmt_binaries)
            - macro: sensitive_files
              condition: fd.name startswith /etc and (fd.name in (sensitive_file_names) or fd.directory in (/etc/sudoers.d, /etc/pam.d))
            - macro: outbound
              condition: >
                evt.type = connect and evt.dir=< and (fd.typechar = 4 or fd.typechar = 6) and
                (fd.ip != "0.0.0.0" and fd.net != "127.0.0.0/8" and not fd.snet in (rfc_1918_addresses)) and
                (evt.rawres >= 0 or evt.res = EINPROGRESS)
            - rule: Write below binary dir
              desc: x
              condition: bin_dir and evt.dir = < and open_write and not package_mgmt_procs
              output: "write %fd.name by %proc.name parent %proc.pname gparent %proc.aname[2] %container.info"
              priority: ERROR
            - rule: Read sensitive file untrusted
              desc: x
              condition: open_read and sensitive_files and not proc.name in (sshd, sudo, su, login) and not proc.pname in (systemd)
              output: "read %fd.name by %proc.cmdline"
              priority: WARNING
            - rule: Terminal shell in container
              desc: x
              condition: spawned_process and container and shell_procs and proc.tty != 0
              output: "shell %proc.cmdline in %container.name"
              priority: NOTICE
            - rule: Outbound connection
              desc: x
              condition: outbound and container and not proc.name in (curl, wget)
              output: "outbound %fd.name"
              priority: NOTICE
            - rule: Package manager in container
              desc: x
              condition: spawned_process and container and package_mgmt_procs
              output: "pkg %proc.cmdline"
              priority: ERROR
            - rule: Write below etc
              desc: x
              condition: open_write and fd.name startswith /etc/ and not proc.name in (vipw, passwd, useradd) and not proc.pname in (package_mgmt_binaries)
              output: "etc %fd.name"
              priority: ERROR
            - rule: Create symlink over sensitive file
              desc: x
              condition: evt.type in (symlink, symlinkat) and fs.path.source in (sensitive_file_names)
              output: "symlink %fs.path.target"
              priority: WARNING
            - rule: Delete bash history
              desc: x
              condition: evt.type in (unlink, unlinkat) and fd.name endswith bash_history
              output: "history %fd.name"
              priority: WARNING
            - rule: Netcat remote code execution
              desc: x
              condition: spawned_process and proc.name in (nc, ncat) and (proc.args contains "-e" or proc.args contains "-c")
              output: "nc %proc.cmdline"
              priority: WARNING
            - rule: Suspicious ptrace
              desc: x
              condition: evt.type = ptrace and evt.arg.request in (4, 5, 16)
              output: "ptrace %proc.name"
              priority: WARNING
            """
        // Twenty more rules shaped like Falco's file and process rules, each on its own directory or program.
        for index in 0..<20 {
            if index % 2 == 0 {
                text += """

                    - rule: Watched directory \(index)
                      desc: x
                      condition: open_write and fd.name pmatch (/srv/app\(index), /opt/data\(index)) and not proc.name in (app\(index), backup)
                      output: "watched %fd.name"
                      priority: NOTICE
                    """
            } else {
                text += """

                    - rule: Unexpected program \(index)
                      desc: x
                      condition: spawned_process and proc.exepath glob '/tmp/*/tool\(index)*' and proc.pname != init
                      output: "program %proc.exepath"
                      priority: NOTICE
                    """
            }
        }
        return text + "\n"
    }

    /// A repeating mix: 60 % opens (mostly reads), 10 % execs, 10 % connects, 10 % forks and exits, 10 % others.
    public static func events() -> [Event] {
        let host = ContainerInfo.host
        let container = ContainerInfo(fullID: String(repeating: "c0ffee", count: 11).prefix(64).description,
                                      name: "web", image: "nginx:1.27", runtime: "podman")
        func process(_ pid: Int32, _ name: String, _ exe: String, _ args: [String], _ inContainer: Bool) -> ProcessSnapshot {
            ProcessSnapshot(pid: pid, tid: pid, ppid: 200, uid: 0, gid: 0, loginuid: 1000, name: name, exe: exe,
                            args: args, cwd: "/", tty: 0, container: inContainer ? container : host)
        }
        let nginx = process(300, "nginx", "/usr/sbin/nginx", ["nginx", "-g", "daemon off;"], true)
        let bash = process(301, "bash", "/bin/bash", ["bash", "-c", "ls"], false)
        let python = process(302, "python3", "/usr/bin/python3", ["python3", "app.py"], true)
        var events: [Event] = []
        let paths = ["/usr/lib/x86_64-linux-gnu/libc.so.6", "/etc/ld.so.cache", "/proc/self/status", "/var/log/app.log",
                     "/etc/hosts", "/usr/share/zoneinfo/UTC", "/srv/www/index.html", "/etc/passwd"]
        var time: UInt64 = 1_764_410_400_000_000_000
        for round in 0..<100 {
            for (index, path) in paths.enumerated() {
                time += 1000
                let flags: Int32 = index == 3 ? OpenFlags.writeOnly | OpenFlags.append : 0
                let who = [nginx, bash, python][(round + index) % 3]
                events.append(Event(time: time, type: "openat", category: .file, ret: 3, process: who,
                                    file: FileActivity(path: path, flags: flags, fd: 3)))
            }
            time += 1000
            events.append(Event(time: time, type: "openat", category: .file, ret: 4, process: python,
                                file: FileActivity(path: "/tmp/cache\(round % 7)", flags: OpenFlags.writeOnly, fd: 4)))
            events.append(Event(time: time, type: "execve", category: .process, ret: 0, process: bash,
                                file: FileActivity(path: "/bin/ls"), arguments: ["filename": "/bin/ls"]))
            events.append(Event(time: time, type: "execve", category: .process, ret: 0,
                                process: process(303, "ls", "/bin/ls", ["ls", "-l"], true),
                                file: FileActivity(path: "/bin/ls"), arguments: ["filename": "/bin/ls"]))
            events.append(Event(time: time, type: "connect", category: .network, ret: 0, process: python,
                                net: NetworkActivity(family: .inet, role: .destination, address: "10.0.0.5", port: 5432,
                                                     socketType: 1, fd: 5)))
            events.append(Event(time: time, type: "connect", category: .network, ret: 0, process: python,
                                net: NetworkActivity(family: .unix, role: .destination, address: "/run/nscd.sock",
                                                     socketType: 1, fd: 6)))
            events.append(Event(time: time, type: "fork", category: .process, ret: 0, process: bash,
                                arguments: ["child_pid": "400", "child_tid": "400", "thread": "false"]))
            events.append(Event(time: time, type: "exit", category: .process, ret: 0, process: bash,
                                arguments: ["exit_code": "0"]))
            events.append(Event(time: time, type: "setuid", category: .process, ret: 0, process: nginx,
                                arguments: ["uid": "33"]))
            if round % 10 == 0 {
                events.append(Event(time: time, type: "openat", category: .file, ret: 7, process: bash,
                                    file: FileActivity(path: "/usr/bin/evil", flags: OpenFlags.writeOnly, fd: 7)))
            }
            events.append(Event(time: time, type: "socket", category: .network, ret: 5, process: python,
                                net: NetworkActivity(family: .inet, role: .socket, socketType: 1, fd: 5)))
        }
        return events
    }

    /// Process table of the benchmark's processes (init → sshd → bash/nginx/python).
    public static var processes: ProcessTable {
        ProcessTable(entries: [
            ProcessEntry(pid: 1, ppid: 0, name: "systemd", exe: "/usr/lib/systemd/systemd", args: ["/sbin/init"]),
            ProcessEntry(pid: 100, ppid: 1, name: "sshd", exe: "/usr/sbin/sshd", args: ["sshd"]),
            ProcessEntry(pid: 200, ppid: 100, name: "bash", exe: "/bin/bash", args: ["-bash"]),
        ])
    }

    /// Runs the mix through a fresh engine (de-duplication on, as in `watch`) for at least `seconds`.
    public static func run(seconds: Double = 2) throws -> Result {
        let set = try CompiledRuleSet.load(sources: [RuleSource(name: "benchmark.yaml", text: rulesYAML)])
        let engine = RuleEngine(rules: set, options: RuleEngine.Options(hostname: "bench"))
        let events = events()
        let table = processes
        var count = 0
        var alerts = 0
        let start = DispatchTime.now().uptimeNanoseconds
        var elapsed: Double = 0
        repeat {
            // In place, as the sensor hands its events over (no copy per event).
            events.withUnsafeBufferPointer { buffer in
                guard let first = buffer.baseAddress else { return }
                withUnsafePointer(to: table) { tablePointer in
                    for index in buffer.indices {
                        alerts += engine.evaluate(at: first + index, processes: tablePointer).count
                    }
                }
            }
            count += events.count
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        } while elapsed < seconds
        return Result(events: count, seconds: elapsed, alerts: alerts, rules: set.activeRules.count)
    }
}
