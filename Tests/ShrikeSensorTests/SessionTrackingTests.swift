import CShrikeBPF
import Foundation
import Testing
@testable import ShrikeSensor

/// Session and process group ids (`proc.sid`, `proc.pgid`): from /proc for old processes, from exec, setsid and
/// setpgid records for new ones, inherited at fork, and kept in the event JSON.
@Suite("Session and process group tracking")
struct SessionTrackingTests {
    static func fakeProc(pid: Int32, stat: String) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("shrike-proc-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/\(pid)", withIntermediateDirectories: true)
        try stat.write(toFile: root + "/\(pid)/stat", atomically: true, encoding: .utf8)
        try "Name:\tx\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n"
            .write(toFile: root + "/\(pid)/status", atomically: true, encoding: .utf8)
        return root
    }

    @Test func procfsReadsSessionAndGroupFromStat() throws {
        // Fields after comm: state ppid pgrp session tty_nr …
        let root = try Self.fakeProc(pid: 77, stat: "77 (sh) S 12 70 65 34817 77 4194560 0 0 0 0 0 0 0 0 20 0 1 0 5000 0 0")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let entry = try #require(ProcfsReader(root: root).entry(pid: 77))
        #expect(entry.pgid == 70)
        #expect(entry.sid == 65)
        #expect(entry.tty == 34817)
    }

    @Test func thisProcessMatchesGetsid() throws {
        let entry = try #require(ProcfsReader().entry(pid: getpid()))
        #expect(entry.sid == getsid(0))
        #expect(entry.pgid == getpgrp())
    }

    static func assembler() throws -> EventAssembler {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("shrike-noproc-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let procfs = ProcfsReader(root: empty)
        var table = ProcessTable(procfs: procfs)
        table.update(ProcessEntry(pid: 100, ppid: 1, name: "bash", exe: "/bin/bash", args: ["bash"], sid: 90, pgid: 100))
        return EventAssembler(syscalls: .x86_64, processes: table,
                              containers: ContainerResolver(procfs: procfs, cgroup2Root: nil))
    }

    @Test func forkInheritsExecAndSetsidUpdate() throws {
        var assembler = try Self.assembler()
        let fork = try #require(KernelRecordFixture(kind: .fork, pid: 100, comm: "bash", args: [200, 200, 0]).record)
        _ = assembler.event(from: fork)
        #expect(assembler.processes[200]?.sid == 90)
        #expect(assembler.processes[200]?.pgid == 100)

        var exec = KernelRecordFixture(kind: .exec, pid: 200, ppid: 100, comm: "sleep")
            .with(string: "/bin/sleep").with(bytes: Array("sleep\u{0}1\u{0}".utf8))
        exec.header.sid = 90
        exec.header.pgid = 200
        let execRecord = try #require(exec.record)
        let execEventOptional = assembler.event(from: execRecord)
        let execEvent = try #require(execEventOptional)
        #expect(execEvent.process.sid == 90)
        #expect(execEvent.process.pgid == 200)

        var setsid = KernelRecordFixture(kind: .syscall, pid: 200, ppid: 100, comm: "sleep", syscall: "setsid", ret: 7)
        setsid.header.sid = 200
        setsid.header.pgid = 200
        let setsidRecord = try #require(setsid.record)
        let setsidEventOptional = assembler.event(from: setsidRecord)
        let setsidEvent = try #require(setsidEventOptional)
        #expect(setsidEvent.type == "setsid")
        #expect(setsidEvent.process.sid == 200)
        #expect(assembler.processes[200]?.sid == 200)

        // A failed call changes nothing, whatever the record carries.
        var failed = KernelRecordFixture(kind: .syscall, pid: 200, ppid: 100, comm: "sleep", syscall: "setpgid",
                                         ret: -1, args: [0, 5])
        failed.header.sid = 5
        failed.header.pgid = 5
        let failedRecord = try #require(failed.record)
        let failedEventOptional = assembler.event(from: failedRecord)
        let failedEvent = try #require(failedEventOptional)
        #expect(failedEvent.arguments["pgid"] == "5")
        #expect(assembler.processes[200]?.sid == 200)
        #expect(assembler.processes[200]?.pgid == 200)
    }

    @Test func setsidAndSetpgidAreTracedForTheProcessTable() {
        #expect(SyscallTable.processTableNeeds.isSuperset(of: SyscallTable.sessionChanges))
        #expect(SyscallTable.x86_64["setsid"]?.number == 112)
        #expect(SyscallTable.x86_64["setpgid"]?.number == 109)
    }

    @Test func jsonKeepsSessionAndGroupAndOldRecordingsStillDecode() throws {
        let process = ProcessSnapshot(pid: 5, tid: 5, ppid: 1, uid: 0, gid: 0, loginuid: .max, name: "sh", exe: "/bin/sh",
                                      args: ["sh"], cwd: "/", tty: 0, sid: 4, pgid: 5, container: .host)
        let event = Event(time: 1_764_410_400_000_000_000, type: "execve", category: .process, ret: 0, process: process)
        var encoder = EventJSONEncoder()
        let line = encoder.encode(event)
        #expect(line.contains(#""sid":4,"pgid":5"#))
        let decoded = try EventJSONDecoder().decode(line: Substring(line), number: 1)
        #expect(decoded.process.sid == 4)
        #expect(decoded.process.pgid == 5)

        let old = #"{"time":"2026-11-29T10:00:00.000000000Z","type":"execve","category":"process","ret":0,"proc":{"pid":5,"tid":5,"ppid":1,"uid":0,"gid":0,"name":"sh","exe":"/bin/sh","cmdline":"sh","cwd":"/","container":{"id":"host"}}}"#
        let oldEvent = try EventJSONDecoder().decode(line: Substring(old), number: 1)
        #expect(oldEvent.process.sid == 0)
        #expect(oldEvent.process.pgid == 0)
        #expect(oldEvent.process.container.privileged == nil)
    }
}
