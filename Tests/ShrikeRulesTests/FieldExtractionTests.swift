import Foundation
import ShrikeSensor
import Testing
@testable import ShrikeRules

@Suite("Fields")
struct FieldExtractionTests {
    func value(_ field: String, _ event: Event, processes: ProcessTable = TestEvents.table) throws -> String {
        let format = try OutputFormat("%\(field)", at: SourceLocation(file: "t", line: 1))
        return format.render(TestEvents.context(event, processes: processes)).0
    }

    @Test(arguments: [
        ("evt.type", "openat"), ("evt.dir", "<"), ("evt.res", "SUCCESS"), ("evt.rawres", "3"), ("evt.failed", "false"),
        ("evt.category", "file"), ("evt.arg.name", "/usr/bin/x"), ("evt.arg[2]", "/usr/bin/x"),
        ("evt.arg.flags", "O_WRONLY|O_CREAT"), ("evt.arg.mode", "0644"), ("evt.rawtime", "\(TestEvents.time)"),
        ("evt.time", "10:00:00.123456789"), ("evt.datetime", "2025-11-29 10:00:00.123456789"),
        ("evt.time.iso8601", "2025-11-29T10:00:00.123456789Z"), ("evt.hostname", "testhost"), ("evt.num", "1"),
        ("fd.num", "3"), ("fd.type", "file"), ("fd.typechar", "f"), ("fd.name", "/usr/bin/x"),
        ("fd.directory", "/usr/bin"), ("fd.filename", "x"), ("fd.sip", "<NA>"),
        ("proc.name", "touch"), ("proc.exe", "touch"), ("proc.exepath", "/usr/bin/touch"), ("proc.args", "/usr/bin/x"),
        ("proc.cmdline", "touch /usr/bin/x"), ("proc.exeline", "touch /usr/bin/x"), ("proc.pid", "300"),
        ("proc.ppid", "200"), ("proc.vpid", "300"), ("thread.tid", "300"), ("proc.cwd", "/root"), ("proc.tty", "34816"),
        ("proc.pname", "bash"), ("proc.pcmdline", "bash"), ("proc.pexepath", "/bin/bash"), ("proc.pexe", "-bash"),
        ("proc.aname[0]", "touch"), ("proc.aname[1]", "bash"), ("proc.aname[2]", "sshd"), ("proc.aname[3]", "systemd"),
        ("proc.aname[4]", "<NA>"), ("proc.apid[2]", "100"), ("proc.acmdline[2]", "sshd root@pts/0"),
        ("proc.aexepath[2]", "/usr/sbin/sshd"), ("proc.aname", "(bash,sshd,systemd)"), ("proc.loginshellid", "200"),
        ("proc.sid", "<NA>"), ("proc.is_exe_upper_layer", "false"),
        ("user.uid", "0"), ("user.loginuid", "1000"), ("group.gid", "0"),
        ("container.id", "host"), ("container.name", "host"), ("container.image", "<NA>"),
        ("fs.path.name", "/usr/bin/x"), ("fs.path.source", "<NA>"),
    ])
    func openEvent(field: String, expected: String) throws {
        #expect(try value(field, TestEvents.open("/usr/bin/x")) == expected, "\(field)")
    }

    @Test func failedOpen() throws {
        let event = TestEvents.open("/etc/shadow", flags: 0, ret: -13)
        #expect(try value("evt.res", event) == "EACCES")
        #expect(try value("evt.failed", event) == "true")
        #expect(try value("fd.num", event) == "-1")
        #expect(try TestEvents.matches("evt.is_open_read = true and evt.res startswith E", event))
    }

    @Test func connectFields() throws {
        let event = TestEvents.connect("93.184.216.34", port: 80)
        #expect(try value("fd.name", event) == "->93.184.216.34:80")
        #expect(try value("fd.type", event) == "ipv4")
        #expect(try value("fd.typechar", event) == "4")
        #expect(try value("fd.sip", event) == "93.184.216.34")
        #expect(try value("fd.rip", event) == "93.184.216.34")
        #expect(try value("fd.sport", event) == "80")
        #expect(try value("fd.cip", event) == "<NA>")
        #expect(try value("fd.l4proto", event) == "tcp")
        #expect(try value("fd.sockfamily", event) == "ip")
        #expect(try value("fd.is_server", event) == "false")
        #expect(try value("evt.category", event) == "net")
    }

    @Test func renameFields() throws {
        let event = TestEvents.rename("/tmp/a", "/usr/bin/a")
        #expect(try value("fs.path.source", event) == "/tmp/a")
        #expect(try value("fs.path.target", event) == "/usr/bin/a")
        #expect(try value("fs.path.name", event) == "<NA>")
        #expect(try value("evt.arg.oldpath", event) == "/tmp/a")
        #expect(try value("evt.arg.newpath", event) == "/usr/bin/a")
    }

    @Test func symlinkSourceIsTheTarget() throws {
        let event = Event(time: TestEvents.time, type: "symlinkat", category: .file, ret: 0,
                          process: TestEvents.process(), file: FileActivity(path: "/usr/bin/evil", target: "/tmp/x"))
        #expect(try value("fs.path.source", event) == "/tmp/x")
        #expect(try value("fs.path.target", event) == "/usr/bin/evil")
        #expect(try value("evt.arg.linkpath", event) == "/usr/bin/evil")
        #expect(try value("evt.arg.target", event) == "/tmp/x")
    }

    @Test func containerFields() throws {
        let container = ContainerInfo(fullID: String(repeating: "ab", count: 32), name: "web",
                                      image: "docker.io/library/nginx:1.27", runtime: "podman")
        let event = TestEvents.open("/usr/bin/x", process: TestEvents.process(container: container))
        #expect(try value("container.id", event) == "abababababab")
        #expect(try value("container.full_id", event) == String(repeating: "ab", count: 32))
        #expect(try value("container.name", event) == "web")
        #expect(try value("container.image", event) == "docker.io/library/nginx:1.27")
        #expect(try value("container.image.repository", event) == "docker.io/library/nginx")
        #expect(try value("container.image.tag", event) == "1.27")
        #expect(try value("container.type", event) == "podman")
        #expect(try value("proc.vpid", event) == "<NA>")
        #expect(try value("container.info", event) == "container_id=abababababab container_name=web")
    }

    @Test func userNamesComeFromPasswd() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shrike-users-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let passwd = directory.appendingPathComponent("passwd").path
        let group = directory.appendingPathComponent("group").path
        try "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/zsh\n"
            .write(toFile: passwd, atomically: true, encoding: .utf8)
        try "root:x:0:\nstaff:x:50:\n".write(toFile: group, atomically: true, encoding: .utf8)
        let users = UserDatabase(passwdPath: passwd, groupPath: group)
        let event = TestEvents.open("/x", process: TestEvents.process(uid: 1000, gid: 50, loginuid: 0))
        let context = EvaluationContext(event: event, users: users)
        context.reset(event: event, processes: TestEvents.table)
        let format = try OutputFormat("%user.name %user.homedir %user.shell %group.name %user.loginname",
                                      at: SourceLocation(file: "t", line: 1))
        #expect(format.render(context).0 == "alice /home/alice /bin/zsh staff root")
    }

    @Test func environmentOfALiveProcess() throws {
        // This test process's own environment: PATH is set for every test run.
        let me = getpid()
        let event = TestEvents.open("/x", process: TestEvents.process(pid: me))
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        #expect(try value("proc.env[PATH]", event) == path)
        #expect(try value("proc.env[SHRIKE_SURELY_UNSET_VARIABLE]", event) == "<NA>")
        let gone = TestEvents.open("/x", process: TestEvents.process(pid: Int32.max - 1))
        #expect(try value("proc.env[PATH]", gone) == "<NA>")
    }

    @Test func execOfAShell() throws {
        let event = TestEvents.exec()
        #expect(try value("evt.type", event) == "execve")
        #expect(try value("proc.cmdline", event) == "bash -i")
        #expect(try value("evt.arg.filename", event) == "/bin/bash")
        #expect(try value("evt.category", event) == "process")
    }
}
