import ShrikeSensor
@testable import ShrikeRules

/// Builders for events, process tables and compiled conditions used across the rules tests.
enum TestEvents {
    static let time: UInt64 = 1_764_410_400_123_456_789 // 2025-11-29T10:00:00.123456789Z

    static func process(pid: Int32 = 300, ppid: Int32 = 200, name: String = "touch", exe: String = "/usr/bin/touch",
                        args: [String] = ["touch", "/usr/bin/x"], uid: UInt32 = 0, gid: UInt32 = 0,
                        loginuid: UInt32 = 1000, cwd: String = "/root", tty: UInt32 = 34816,
                        container: ContainerInfo = .host) -> ProcessSnapshot {
        ProcessSnapshot(pid: pid, tid: pid, ppid: ppid, uid: uid, gid: gid, loginuid: loginuid, name: name, exe: exe,
                        args: args, cwd: cwd, tty: tty, container: container)
    }

    /// openat of `path` with `flags`, returning fd 3 (or `ret`).
    static func open(_ path: String, flags: Int32 = OpenFlags.writeOnly | OpenFlags.create, ret: Int64 = 3,
                     process: ProcessSnapshot = process(), time: UInt64 = time) -> Event {
        Event(time: time, type: "openat", category: .file, ret: ret, process: process,
              file: FileActivity(path: path, flags: flags, mode: 0o644, fd: ret >= 0 ? Int32(ret) : nil))
    }

    static func exec(_ process: ProcessSnapshot = process(name: "bash", exe: "/bin/bash", args: ["bash", "-i"]))
        -> Event {
        Event(time: time, type: "execve", category: .process, ret: 0, process: process,
              file: FileActivity(path: process.exe), arguments: ["filename": process.exe])
    }

    static func connect(_ address: String, port: UInt16, family: SocketFamily = .inet, ret: Int64 = 0,
                        process: ProcessSnapshot = process(name: "curl", exe: "/usr/bin/curl",
                                                           args: ["curl", "http://example.com"])) -> Event {
        Event(time: time, type: "connect", category: .network, ret: ret, process: process,
              net: NetworkActivity(family: family, role: .destination, address: address, port: port, socketType: 1,
                                   fd: 5))
    }

    static func rename(_ from: String, _ to: String) -> Event {
        Event(time: time, type: "renameat2", category: .file, ret: 0, process: process(name: "mv", exe: "/bin/mv"),
              file: FileActivity(path: from, target: to))
    }

    /// init(1) → sshd(100) → bash(200) → touch(300).
    static let table = ProcessTable(entries: [
        ProcessEntry(pid: 1, ppid: 0, name: "systemd", exe: "/usr/lib/systemd/systemd", args: ["/sbin/init"]),
        ProcessEntry(pid: 100, ppid: 1, name: "sshd", exe: "/usr/sbin/sshd", args: ["sshd:", "root@pts/0"]),
        ProcessEntry(pid: 200, ppid: 100, name: "bash", exe: "/bin/bash", args: ["-bash"]),
        ProcessEntry(pid: 300, ppid: 200, name: "touch", exe: "/usr/bin/touch", args: ["touch", "/usr/bin/x"]),
    ])

    static func context(_ event: Event, processes: ProcessTable = table) -> EvaluationContext {
        let context = EvaluationContext(event: event, hostname: "testhost",
                                        users: UserDatabase(passwdPath: "/nonexistent", groupPath: "/nonexistent"))
        context.reset(event: event, processes: processes)
        return context
    }

    /// Compiles `condition` with `yaml` (lists and macros) loaded first.
    static func compile(_ condition: String, yaml: String = "") throws -> CompiledRule {
        let rule = """
            - rule: test
              desc: test
              condition: \(quoted(condition))
              output: test
              priority: INFO
              warn_evttypes: false
            """
        let set = try CompiledRuleSet.load(sources: [RuleSource(name: "test.yaml", text: yaml + "\n" + rule)])
        guard let compiled = set.rules.first(where: { $0.name == "test" }) else { throw TestFailure.noRule }
        return compiled
    }

    static func matches(_ condition: String, _ event: Event, yaml: String = "",
                        processes: ProcessTable = table) throws -> Bool {
        try compile(condition, yaml: yaml).matches(context(event, processes: processes))
    }

    /// A YAML double-quoted scalar.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    enum TestFailure: Error { case noRule }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            out += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return out + rest
    }
}
