import Foundation
import ShrikeCore
import ShrikeRules
import ShrikeSensor

/// Alerts and temporary directories for the alert-output tests.
enum AlertFixtures {
    /// 2026-11-29T10:00:00.123456789Z
    static let time: UInt64 = 1_795_946_400_123_456_789

    static func event(time: UInt64 = AlertFixtures.time) -> Event {
        let process = ProcessSnapshot(pid: 4242, tid: 4242, ppid: 1, uid: 0, gid: 0, loginuid: .max, name: "touch",
                                      exe: "/usr/bin/touch", args: ["touch", "/usr/bin/x"], cwd: "/root", tty: 0,
                                      container: .host)
        return Event(time: time, type: "openat", category: .file, ret: 3, process: process,
                     file: FileActivity(path: "/usr/bin/x", flags: 0o101, fd: 3))
    }

    static func alert(rule: String = "Write below binary dir", priority: RulePriority = .error,
                      output: String = "File below a known binary directory opened for writing (user=root "
                          + "command=touch /usr/bin/x file=/usr/bin/x)",
                      fields: [String: String] = ["user.name": "root", "proc.cmdline": "touch /usr/bin/x",
                                                  "fd.name": "/usr/bin/x", "proc.pid": "4242"],
                      time: UInt64 = AlertFixtures.time, count: Int = 1, incident: String? = nil) -> Alert {
        Alert(time: time, rule: rule, priority: priority, source: "syscall", tags: ["filesystem", "mitre_persistence"],
              output: output, outputFields: fields, hostname: "node-1", event: event(time: time), count: count,
              incident: incident)
    }

    /// A fresh directory below the system's temporary directory (short, for unix socket paths).
    static func temporaryDirectory() throws -> String {
        let path = "/tmp/shrike-alerts-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func jsonObject(_ text: String) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        guard let object = value as? [String: Any] else {
            throw ShrikeError(.malformed, "not a JSON object", input: text)
        }
        return object
    }
}
