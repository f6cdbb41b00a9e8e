import Foundation

/// Reads what the kernel says about a live process in /proc (used to seed the table and for processes whose fork the
/// sensor missed).
public struct ProcfsReader: Sendable {
    public var root: String

    public init(root: String = "/proc") { self.root = root }

    /// Every numeric entry of /proc.
    public func pids() -> [Int32] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root) else { return [] }
        return names.compactMap { Int32($0) }
    }

    /// The process's entry, or nil when it is gone.
    public func entry(pid: Int32, bootTimeTicks: (UInt64) -> UInt64 = { $0 }) -> ProcessEntry? {
        let dir = "\(root)/\(pid)"
        guard let stat = readText("\(dir)/stat"), let status = readText("\(dir)/status") else { return nil }
        // comm may hold spaces and parentheses: the fields after it start after the last ')'.
        guard let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { return nil }
        let name = String(stat[stat.index(after: open)..<close])
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is the state; ppid is field 4 of stat, pgrp 5, session 6, tty_nr 7, starttime 22 (1-based,
        // comm = 2). /proc numbers them in the reader's pid namespace: the root one for the sensor.
        guard fields.count > 19 else { return nil }
        let ppid = Int32(fields[1]) ?? 0
        let pgid = Int32(fields[2]) ?? 0
        let sid = Int32(fields[3]) ?? 0
        let tty = UInt32(fields[4]) ?? 0
        let startTicks = UInt64(fields[19]) ?? 0
        var uid: UInt32 = 0, gid: UInt32 = 0, vpid: Int32 = 0, vpgid: Int32 = 0
        let statusLines = status.split(separator: "\n")
        for line in statusLines {
            if line.hasPrefix("Uid:") { uid = UInt32(line.split(separator: "\t").dropFirst().first ?? "") ?? 0 }
            if line.hasPrefix("Gid:") { gid = UInt32(line.split(separator: "\t").dropFirst().first ?? "") ?? 0 }
            // NSpid/NSpgid list the ids from the reader's namespace inward: the last is the process's own view.
            if line.hasPrefix("NSpid:") { vpid = Int32(line.split(separator: "\t").last ?? "") ?? 0 }
            if line.hasPrefix("NSpgid:") { vpgid = Int32(line.split(separator: "\t").last ?? "") ?? 0 }
        }
        let loginuid = readText("\(dir)/loginuid").flatMap { UInt32($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? .max
        let args = (readBytes("\(dir)/cmdline") ?? []).split(separator: 0, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        let trimmedArgs = args.last == "" ? Array(args.dropLast()) : args
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(dir)/exe")) ?? ""
        let cwd = (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(dir)/cwd")) ?? "/"
        var entry = ProcessEntry(pid: pid, ppid: ppid, uid: uid, gid: gid, loginuid: loginuid, name: name,
                                 exe: exe.replacingOccurrences(of: " (deleted)", with: ""), args: trimmedArgs, cwd: cwd,
                                 tty: tty, sid: sid, pgid: pgid, startBootTime: bootTimeTicks(startTicks))
        entry.vpid = vpid
        entry.vpgid = vpgid
        entry.capabilities = Capabilities(statusLines: statusLines)
        // stat() through the exe link reaches the file the process runs, even one since deleted or in a container.
        entry.executable = Self.executableInode("\(dir)/exe")
        return entry
    }

    /// The inode a path leads to (following links), with its change and modification times.
    static func executableInode(_ path: String) -> ExecutableInode? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        func nanoseconds(_ time: timespec) -> UInt64 {
            UInt64(max(0, time.tv_sec)) * 1_000_000_000 + UInt64(max(0, time.tv_nsec))
        }
        return ExecutableInode(inode: UInt64(info.st_ino), changeTime: nanoseconds(info.st_ctim),
                               modificationTime: nanoseconds(info.st_mtim))
    }

    /// The process's start time in clock ticks since boot (/proc/PID/stat field 22), or nil when it is gone.
    public func startTicks(pid: Int32) -> UInt64? {
        guard let stat = readText("\(root)/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }

    /// The target of /proc/PID/fd/FD, when readable.
    public func descriptorPath(pid: Int32, fd: Int32) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "\(root)/\(pid)/fd/\(fd)")
    }

    /// The lines of /proc/PID/cgroup.
    public func cgroupLines(pid: Int32) -> [String] {
        (readText("\(root)/\(pid)/cgroup") ?? "").split(separator: "\n").map(String.init)
    }

    func readText(_ path: String) -> String? {
        readBytes(path).map { String(decoding: $0, as: UTF8.self) }
    }

    func readBytes(_ path: String) -> [UInt8]? {
        // /proc files report size 0; read until EOF.
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            result += chunk[0..<n]
        }
        return result
    }
}
