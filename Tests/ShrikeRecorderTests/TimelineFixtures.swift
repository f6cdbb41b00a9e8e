import ShrikeSensor
@testable import ShrikeRecorder

/// One incident with a bit of everything: a shell tree that writes, deletes, renames, chmods, reads secrets and
/// talks to the network, and an alert.
enum TimelineFixtures {
    typealias F = EventFixtures

    static let bash = F.process(100, ppid: 50, name: "bash", args: ["bash"])
    static let touch = F.process(101, ppid: 100, name: "touch", args: ["touch", "/usr/bin/evil"])
    static let python = F.process(102, ppid: 100, name: "python3", args: ["python3", "-m", "http.server", "8080"])
    static let cat = F.process(103, ppid: 100, name: "cat", args: ["cat", "/etc/shadow"])
    static let hostile = "/tmp/<script>alert(1)</script>&\"'\u{1b}[31m@@DATA@@.txt"

    static var events: [Event] {
        [
            F.open(bash, "/etc/profile", at: -3),
            F.fork(bash, child: 101, at: -0.01),
            F.exec(touch, at: 0),
            F.open(touch, "/usr/bin/evil", flags: 0o101, mode: 0o644, at: 0.001),
            F.open(touch, "/usr/bin/evil", flags: 0o101, mode: 0o644, at: 0.002),
            F.exit(touch, code: 0, at: 0.003),
            F.fork(bash, child: 102, at: 1),
            F.exec(python, at: 1.01),
            F.net("socket", python, role: .socket, address: nil, port: nil, at: 1.02),
            F.net("bind", python, role: .local, address: "0.0.0.0", port: 8080, fd: 3, at: 1.03),
            F.net("listen", python, role: .local, address: nil, port: nil, family: .other(0), socketType: nil, fd: 3,
                  at: 1.04),
            F.net("accept4", python, role: .peer, address: "10.1.2.3", port: 50123, fd: 4, at: 2),
            F.net("connect", python, role: .destination, address: "93.184.216.34", port: 443, fd: 5, at: 2.5),
            F.net("connect", python, role: .destination, address: "10.9.9.9", port: 22, fd: 6, ret: -111, at: 2.6),
            F.net("bind", python, role: .local, address: "0.0.0.0", port: 5353, socketType: 2, fd: 7, at: 2.7),
            F.open(python, "/var/log/app.log", flags: 0o2001, at: 3),
            F.file("unlinkat", python, "/tmp/stage1", at: 3.1),
            F.file("renameat2", python, "/tmp/a", target: "/tmp/b", at: 3.2),
            F.file("fchmodat", python, "/tmp/b", mode: 0o4755, at: 3.3),
            F.file("fchownat", python, "/tmp/b", arguments: ["uid": "0", "gid": "0"], at: 3.4),
            F.open(python, hostile, flags: 0o101, mode: 0o600, at: 3.5),
            F.open(python, "/etc/hosts", at: 3.6),
            F.fork(bash, child: 103, at: 4),
            F.exec(cat, at: 4.01),
            F.open(cat, "/etc/shadow", ret: -13, at: 4.02),
            F.open(cat, "/root/.ssh/id_ed25519", at: 4.03),
            Event(time: F.at(4.05), type: "setuid", category: .other, ret: 0, process: cat, arguments: ["uid": "0"]),
            F.exit(cat, code: 1, at: 4.1),
        ]
    }

    static var incident: StoredIncident {
        let write = events[3]
        let alert = IncidentAlert(F.alert(write))
        let summary = IncidentSummary(
            id: "inc-20261129-100000-abcdef", openedAt: F.at(0.001), closedAt: F.at(31), windowStart: F.at(-30),
            windowEnd: F.at(30.001), scope: IncidentScope(kind: .processTree, container: "host", rootPID: 100,
                                                          rootCommand: "bash"),
            firstRule: "Write below binary dir", priority: "Error", alertCount: 1, eventCount: events.count,
            hostname: "testhost")
        return StoredIncident(summary: summary, alerts: [alert], events: events)
    }

    static var timeline: Timeline {
        TimelineBuilder(hostNames: ["93.184.216.34": "example.com"]).build(incident)
    }
}
