import CShrikeBPF
import Foundation
import Testing
@testable import ShrikeSensor

@Suite("Event assembly without a kernel")
struct EventAssemblerTests {
    /// An assembler whose /proc is an empty directory, so only records shape the process table.
    static func assembler() throws -> EventAssembler {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("shrike-noproc-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let procfs = ProcfsReader(root: empty)
        var table = ProcessTable(procfs: procfs)
        table.update(ProcessEntry(pid: 100, ppid: 1, name: "bash", exe: "/bin/bash", args: ["bash"], cwd: "/opt"))
        return EventAssembler(syscalls: .x86_64, processes: table,
                              containers: ContainerResolver(procfs: procfs, cgroup2Root: nil))
    }

    @Test func forkExecChdirOpenAndExitKeepTheTableRight() throws {
        var assembler = try Self.assembler()
        let fork = try #require(KernelRecordFixture(kind: .fork, pid: 100, comm: "bash", args: [200, 200, 0]).record)
        let forkEventOptional = assembler.event(from: fork)
        let forkEvent = try #require(forkEventOptional)
        #expect(forkEvent.type == "fork")
        #expect(forkEvent.arguments["child_pid"] == "200")
        #expect(assembler.processes[200]?.cwd == "/opt")

        let exec = try #require(KernelRecordFixture(kind: .exec, pid: 200, ppid: 100, comm: "tool")
            .with(string: "./bin/tool").with(bytes: Array("./bin/tool\0--flag\0x y\0".utf8)).record)
        let execEventOptional = assembler.event(from: exec)
        let execEvent = try #require(execEventOptional)
        #expect(execEvent.type == "execve")
        #expect(execEvent.process.exe == "/opt/bin/tool")
        #expect(execEvent.process.args == ["./bin/tool", "--flag", "x y"])
        #expect(execEvent.process.cmdline == "./bin/tool --flag x y")

        let chdir = try #require(KernelRecordFixture(kind: .syscall, pid: 200, ppid: 100, syscall: "chdir")
            .with(string: "../var").record)
        _ = assembler.event(from: chdir)
        #expect(assembler.processes[200]?.cwd == "/var")

        let open = try #require(KernelRecordFixture(kind: .syscall, pid: 200, ppid: 100, syscall: "openat", ret: 3,
                                                    args: [UInt64(bitPattern: -100), 0, 0o1101, 0o644])
            .with(string: "log/app.log").record)
        let openEventOptional = assembler.event(from: open)
        let openEvent = try #require(openEventOptional)
        #expect(openEvent.file == FileActivity(path: "/var/log/app.log", flags: 0o1101, mode: 0o644, fd: 3, rawPath: "log/app.log"))

        // A directory fd the sensor saw opened resolves the next *at() call.
        let dir = try #require(KernelRecordFixture(kind: .syscall, pid: 200, ppid: 100, syscall: "openat", ret: 5,
                                                   args: [UInt64(bitPattern: -100), 0, 0o200000])
            .with(string: "/etc").record)
        _ = assembler.event(from: dir)
        let unlink = try #require(KernelRecordFixture(kind: .syscall, pid: 200, ppid: 100, syscall: "unlinkat",
                                                      args: [5, 0, 0]).with(string: "passwd").record)
        let produced1 = assembler.event(from: unlink)
        #expect(produced1?.file?.path == "/etc/passwd")

        let exit = try #require(KernelRecordFixture(kind: .exit, pid: 200, ppid: 100, comm: "tool", args: [3 << 8]).record)
        let exitEventOptional = assembler.event(from: exit)
        let exitEvent = try #require(exitEventOptional)
        #expect(exitEvent.arguments["exit_code"] == "3")
        #expect(exitEvent.arguments["signal"] == nil)
        #expect(assembler.processes[200] == nil)
    }

    @Test func killedBySignal() throws {
        var assembler = try Self.assembler()
        let exit = try #require(KernelRecordFixture(kind: .exit, pid: 100, args: [9]).record)
        let eventOptional = assembler.event(from: exit)
        let event = try #require(eventOptional)
        #expect(event.arguments["exit_code"] == "0")
        #expect(event.arguments["signal"] == "9")
    }

    @Test func threadsDoNotBecomeProcesses() throws {
        var assembler = try Self.assembler()
        let thread = try #require(KernelRecordFixture(kind: .fork, pid: 100, args: [101, 100, 1]).record)
        let produced2 = assembler.event(from: thread)
        #expect(produced2?.arguments["thread"] == "true")
        #expect(assembler.processes[101] == nil)
    }

    @Test func socketsGiveConnectTheirTransport() throws {
        var assembler = try Self.assembler()
        let socket = try #require(KernelRecordFixture(kind: .syscall, pid: 100, syscall: "socket", ret: 4,
                                                      args: [2, 1, 0]).record)
        _ = assembler.event(from: socket)
        let sockaddr: [UInt8] = [2, 0, 0x01, 0xbb, 93, 184, 216, 34, 0, 0, 0, 0, 0, 0, 0, 0]
        let connect = try #require(KernelRecordFixture(kind: .syscall, pid: 100, syscall: "connect",
                                                       ret: -111, args: [4, 0, 16]).with(bytes: sockaddr).record)
        let eventOptional = assembler.event(from: connect)
        let event = try #require(eventOptional)
        #expect(event.net?.endpoint == "93.184.216.34:443")
        #expect(event.net?.transport == "tcp")
        #expect(event.net?.role == .destination)
        #expect(event.failed)
    }

    @Test func renameAndSymlinkPaths() throws {
        var assembler = try Self.assembler()
        let rename = try #require(KernelRecordFixture(kind: .syscall, pid: 100, syscall: "renameat2",
                                                      args: [UInt64(bitPattern: -100), 0, UInt64(bitPattern: -100)])
            .with(string: "a").with(string: "/tmp/../srv/b").record)
        let produced3 = assembler.event(from: rename)
        #expect(produced3?.file == FileActivity(path: "/opt/a", target: "/srv/b"))
        let symlink = try #require(KernelRecordFixture(kind: .syscall, pid: 100, syscall: "symlinkat",
                                                       args: [0, UInt64(bitPattern: -100), 0])
            .with(string: "../etc/shadow").with(string: "link").record)
        let produced4 = assembler.event(from: symlink)
        #expect(produced4?.file == FileActivity(path: "/opt/link", target: "../etc/shadow"))
    }

    @Test func shortRecordsAreRejected() {
        let bytes = KernelRecordFixture(kind: .exec, pid: 1).bytes
        #expect(bytes.prefix(bytes.count - 1).withUnsafeBytes { KernelRecord(bytes: $0) } == nil)
        var wrongKind = KernelRecordFixture(kind: .exec, pid: 1)
        wrongKind.header.kind = 99
        #expect(wrongKind.bytes.withUnsafeBytes { KernelRecord(bytes: $0) } == nil)
        // A string length past the end of the record is ignored rather than read.
        var lying = KernelRecordFixture(kind: .syscall, pid: 1, syscall: "openat").with(string: "/x")
        lying.header.string_len = (400, 0, 0)
        let record = lying.bytes.withUnsafeBytes { raw -> KernelRecord? in
            var copy = Array(raw)
            // Overwrite the lengths after `bytes` recomputed them.
            let offset = MemoryLayout<shrike_event_header>.offset(of: \.string_len) ?? 0
            copy[offset] = 0x90
            copy[offset + 1] = 0x01
            return copy.withUnsafeBytes { KernelRecord(bytes: $0) }
        }
        #expect(record?.string(0) == nil)
    }
}
