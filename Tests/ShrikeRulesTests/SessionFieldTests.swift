import ShrikeSensor
import Testing
@testable import ShrikeRules

/// `proc.sid`, `proc.sname`, `proc.pgid`, `proc.vpgid` and their leader fields, from the ids the sensor carries.
@Suite("Session and process group fields")
struct SessionFieldTests {
    func value(_ field: String, _ event: Event, processes: ProcessTable) throws -> String {
        let format = try OutputFormat("%\(field)", at: SourceLocation(file: "t", line: 1))
        return format.render(TestEvents.context(event, processes: processes)).0
    }

    /// systemd(1) → sshd(100) → bash(200, session leader) → touch(300, its own process group).
    static let table = ProcessTable(entries: [
        ProcessEntry(pid: 1, ppid: 0, name: "systemd", sid: 1, pgid: 1),
        ProcessEntry(pid: 100, ppid: 1, name: "sshd", sid: 100, pgid: 100),
        ProcessEntry(pid: 200, ppid: 100, name: "bash", sid: 200, pgid: 200),
        ProcessEntry(pid: 300, ppid: 200, name: "touch", sid: 200, pgid: 300),
    ])

    static func touch(sid: Int32 = 200, pgid: Int32 = 300, container: ContainerInfo = .host) -> Event {
        var process = TestEvents.process(container: container)
        process.sid = sid
        process.pgid = pgid
        return TestEvents.open("/tmp/x", process: process)
    }

    @Test(arguments: [
        ("proc.sid", "200"), ("proc.sname", "bash"), ("proc.is_sid_leader", "false"), ("proc.pgid", "300"),
        ("proc.vpgid", "300"), ("proc.vpgid.name", "touch"), ("proc.is_vpgid_leader", "true"),
    ])
    func hostProcess(field: String, expected: String) throws {
        #expect(try value(field, Self.touch(), processes: Self.table) == expected, "\(field)")
    }

    @Test func leaderGoneFallsBackToEldestAncestorInTheSession() throws {
        // bash (the leader, pid 200) is not in the table; the eldest known ancestor in session 200 names it.
        let table = ProcessTable(entries: [
            ProcessEntry(pid: 100, ppid: 1, name: "sshd", sid: 100),
            ProcessEntry(pid: 150, ppid: 100, name: "tmux", sid: 200),
            ProcessEntry(pid: 250, ppid: 150, name: "sh", sid: 200),
            ProcessEntry(pid: 300, ppid: 250, name: "touch", sid: 200),
        ])
        var process = TestEvents.process(ppid: 250)
        process.sid = 200
        #expect(try value("proc.sname", TestEvents.open("/x", process: process), processes: table) == "tmux")
        process.sid = 999
        #expect(try value("proc.sname", TestEvents.open("/x", process: process), processes: table) == "<NA>")
    }

    @Test func unknownIdsAreNA() throws {
        for field in ["proc.sid", "proc.sname", "proc.pgid", "proc.vpgid", "proc.is_sid_leader"] {
            #expect(try value(field, Self.touch(sid: 0, pgid: 0), processes: Self.table) == "<NA>", "\(field)")
        }
    }

    @Test func containerProcessesHaveNoVirtualGroup() throws {
        let container = ContainerInfo(fullID: String(repeating: "ab", count: 32), runtime: "podman")
        let event = Self.touch(container: container)
        #expect(try value("proc.pgid", event, processes: Self.table) == "300")
        #expect(try value("proc.vpgid", event, processes: Self.table) == "<NA>")
    }

    @Test func conditionsAndValidation() throws {
        #expect(try TestEvents.matches("proc.sid = 200 and proc.sname = bash and proc.sid exists", Self.touch(),
                                       processes: Self.table))
        #expect(try !TestEvents.matches("proc.sid exists", Self.touch(sid: 0), processes: Self.table))
        // Filled now: `rules validate` no longer lists them as `<NA>` fields.
        let rule = try TestEvents.compile("proc.sid > 0 and proc.sname = bash and proc.pgid > 0")
        #expect(rule.unavailableFields.isEmpty, "\(rule.unavailableFields)")
        #expect(FieldRegistry.unfilledType("proc.sid") == nil)
        #expect(FieldRegistry.unfilledType("container.privileged") == nil)
    }
}
