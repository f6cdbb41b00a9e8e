import Foundation
import Testing
@testable import ShrikeSensor

@Suite("Reading /proc")
struct ProcfsReaderTests {
    @Test func readsThisProcess() throws {
        let pid = getpid()
        let entry = try #require(ProcfsReader().entry(pid: pid))
        #expect(entry.pid == pid)
        #expect(entry.ppid == getppid())
        #expect(entry.uid == getuid())
        #expect(entry.cwd == FileManager.default.currentDirectoryPath)
        #expect(entry.exe == CommandLine.arguments.first.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path })
        #expect(entry.args == CommandLine.arguments)
    }

    @Test func commWithSpacesAndParentheses() throws {
        // /proc/PID/stat puts comm in parentheses and comm may contain both: the fields after it start at the last ')'.
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("shrike-proc-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/77", withIntermediateDirectories: true)
        let stat = "77 (a) b (c)) S 12 77 77 34817 77 4194560 0 0 0 0 0 0 0 0 20 0 1 0 5000 0 0"
        try stat.write(toFile: root + "/77/stat", atomically: true, encoding: .utf8)
        try "Name:\tx\nUid:\t1000\t1000\t1000\t1000\nGid:\t100\t100\t100\t100\n"
            .write(toFile: root + "/77/status", atomically: true, encoding: .utf8)
        try "4294967295".write(toFile: root + "/77/loginuid", atomically: true, encoding: .utf8)
        try "a\0b c\0".write(toFile: root + "/77/cmdline", atomically: true, encoding: .utf8)
        let entry = try #require(ProcfsReader(root: root).entry(pid: 77))
        #expect(entry.name == "a) b (c)")
        #expect(entry.ppid == 12)
        #expect(entry.tty == 34817)
        #expect(entry.uid == 1000 && entry.gid == 100)
        #expect(entry.args == ["a", "b c"])
        #expect(entry.startBootTime == 5000)
    }

    @Test func goneProcessIsNil() {
        #expect(ProcfsReader().entry(pid: Int32.max) == nil)
    }
}
