import Foundation
import ShrikeRules
import ShrikeSensor
@testable import ShrikeRecorder

/// Builds events and alerts by hand (no eBPF), on a clock starting at 2026-11-29T10:00:00Z.
enum EventFixtures {
    static let t0: UInt64 = 1_795_946_400_000_000_000
    static let second: UInt64 = 1_000_000_000

    static func at(_ seconds: Double) -> UInt64 { UInt64(Int64(t0) + Int64((seconds * 1e9).rounded())) }

    static let web = ContainerInfo(fullID: String(repeating: "ab", count: 32), name: "web", image: "nginx:1.27",
                                   runtime: "podman")
    static let db = ContainerInfo(fullID: String(repeating: "cd", count: 32), name: "db", image: "postgres:16",
                                  runtime: "podman")

    static func process(_ pid: Int32, ppid: Int32, name: String, args: [String]? = nil, uid: UInt32 = 0,
                        container: ContainerInfo = .host, cwd: String = "/root") -> ProcessSnapshot {
        ProcessSnapshot(pid: pid, tid: pid, ppid: ppid, uid: uid, gid: uid, loginuid: 1000, name: name,
                        exe: "/usr/bin/\(name)", args: args ?? [name], cwd: cwd, tty: 34816, container: container)
    }

    static func exec(_ p: ProcessSnapshot, at time: Double) -> Event {
        Event(time: at(time), type: "execve", category: .process, ret: 0, process: p, file: FileActivity(path: p.exe),
              arguments: ["filename": p.exe])
    }

    static func fork(_ parent: ProcessSnapshot, child: Int32, at time: Double) -> Event {
        Event(time: at(time), type: "fork", category: .process, ret: 0, process: parent,
              arguments: ["child_pid": String(child), "child_tid": String(child), "thread": "false"])
    }

    static func exit(_ p: ProcessSnapshot, code: Int = 0, at time: Double) -> Event {
        Event(time: at(time), type: "exit", category: .process, ret: 0, process: p,
              arguments: ["exit_code": String(code)])
    }

    static func open(_ p: ProcessSnapshot, _ path: String, flags: Int32 = 0, mode: UInt32? = nil, ret: Int64 = 3,
                     at time: Double) -> Event {
        Event(time: at(time), type: "openat", category: .file, ret: ret, process: p,
              file: FileActivity(path: path, flags: flags, mode: mode, fd: ret >= 0 ? Int32(ret) : nil))
    }

    static func file(_ type: String, _ p: ProcessSnapshot, _ path: String, target: String? = nil, mode: UInt32? = nil,
                     arguments: [String: String] = [:], ret: Int64 = 0, at time: Double) -> Event {
        Event(time: at(time), type: type, category: .file, ret: ret, process: p,
              file: FileActivity(path: path, target: target, mode: mode), arguments: arguments)
    }

    static func net(_ type: String, _ p: ProcessSnapshot, role: NetworkActivity.Role, address: String?, port: UInt16?,
                    family: SocketFamily = .inet, socketType: Int32? = 1, fd: Int32 = 5, ret: Int64 = 0,
                    at time: Double) -> Event {
        Event(time: at(time), type: type, category: .network, ret: ret, process: p,
              net: NetworkActivity(family: family, role: role, address: address, port: port, socketType: socketType,
                                   fd: fd))
    }

    static func alert(_ event: Event, rule: String = "Write below binary dir", priority: RulePriority = .error,
                      before: Double? = nil, after: Double? = nil) -> Alert {
        Alert(time: event.time, rule: rule, priority: priority, tags: ["filesystem"],
              output: "File below a known binary directory opened for writing (file=\(event.file?.path ?? "?"))",
              outputFields: ["fd.name": event.file?.path ?? ""], hostname: "testhost", event: event,
              captureBefore: before, captureAfter: after)
    }

    /// A fresh temporary directory, removed by the caller (or left for inspection).
    static func temporaryDirectory(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("shrike-recorder-tests-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Events compared field by field (`Event` is not Equatable).
    static func same(_ a: Event, _ b: Event) -> Bool {
        a.time == b.time && a.type == b.type && a.category == b.category && a.ret == b.ret && a.process == b.process
            && a.file == b.file && a.net == b.net && a.arguments == b.arguments
    }
}
