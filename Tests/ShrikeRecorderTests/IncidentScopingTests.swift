import Testing
import ShrikeRules
import ShrikeSensor
@testable import ShrikeRecorder

@Suite("Incident scoping")
struct IncidentScopingTests {
    typealias F = EventFixtures

    /// sshd(50) ─ bash(100) ─┬─ marker(101)
    ///                        ├─ touch(102)   ← alert
    ///                        └─ sh(103) ─ curl(104)
    /// plus an unrelated host daemon cron(200) ─ backup(201), and a container process.
    struct World {
        let sshd = F.process(50, ppid: 1, name: "sshd")
        let bash = F.process(100, ppid: 50, name: "bash")
        let marker = F.process(101, ppid: 100, name: "echo", args: ["echo", "marker-1"])
        let touch = F.process(102, ppid: 100, name: "touch", args: ["touch", "/usr/bin/evil"])
        let sh = F.process(103, ppid: 100, name: "sh", args: ["sh", "-c", "curl example"])
        let curl = F.process(104, ppid: 103, name: "curl", args: ["curl", "example"])
        let cron = F.process(200, ppid: 1, name: "cron")
        let backup = F.process(201, ppid: 200, name: "backup", args: ["backup", "--all"])
        let nginx = F.process(300, ppid: 299, name: "nginx", container: F.web)
        let worker = F.process(301, ppid: 300, name: "nginx", args: ["nginx: worker"], container: F.web)
        let postgres = F.process(400, ppid: 399, name: "postgres", container: F.db)
    }

    @Test func hostAlertCollectsItsProcessTreeAndNothingElse() {
        let w = World()
        var ring = FlightRecorder()
        var manager = IncidentManager(seed: 1)
        func feed(_ event: Event) {
            ring.append(event)
            manager.record(event)
        }
        feed(F.open(w.sshd, "/etc/ssh/sshd_config", at: 0.5))
        feed(F.fork(w.bash, child: 101, at: 1))
        feed(F.exec(w.marker, at: 1.001))
        feed(F.exit(w.marker, at: 1.002))
        feed(F.exec(w.backup, at: 1.5))
        feed(F.open(w.backup, "/var/backups/x", flags: 0o101, at: 1.6))
        feed(F.exec(w.touch, at: 3))
        let write = F.open(w.touch, "/usr/bin/evil", flags: 0o101, mode: 0o755, at: 3.001)
        feed(write)
        let id = manager.alert(F.alert(write), ring: ring)
        #expect(id.hasPrefix("inc-20261129-100003-"))
        #expect(IncidentIdentifier.isValid(id))
        // After the alert: the shell forks sh, which runs curl (its fork was not seen: known by ppid), unrelated
        // events keep coming, and a container does its own thing.
        feed(F.fork(w.bash, child: 103, at: 5))
        feed(F.exec(w.sh, at: 5.001))
        feed(F.exec(w.curl, at: 5.01))
        feed(F.net("connect", w.curl, role: .destination, address: "93.184.216.34", port: 443, at: 5.02))
        feed(F.open(w.backup, "/var/backups/y", flags: 0o101, at: 6))
        feed(F.open(w.nginx, "/etc/nginx/nginx.conf", at: 6.5))
        feed(F.exit(w.touch, at: 7))
        manager.tick(now: F.at(40))
        let closed = manager.takeClosed()
        #expect(closed.count == 1)
        guard let incident = closed.first else { return }
        #expect(incident.summary.id == id)
        #expect(incident.summary.scope.kind == .processTree)
        #expect(incident.summary.scope.rootPID == 100, "the climb stops below sshd")
        let pids = Set(incident.log.events.map(\.process.pid))
        #expect(pids == [100, 101, 102, 103, 104])
        #expect(incident.log.events.contains { $0.type == "execve" && $0.process.pid == 101 })
        #expect(incident.log.events.contains { $0.net?.address == "93.184.216.34" })
        #expect(incident.log.events.contains { $0.file?.path == "/usr/bin/evil" })
        #expect(!incident.log.events.contains { $0.file?.path.hasPrefix("/var/backups") ?? false })
    }

    @Test func containerAlertCollectsEveryProcessOfTheContainer() {
        let w = World()
        var ring = FlightRecorder()
        var manager = IncidentManager(seed: 2)
        func feed(_ event: Event) {
            ring.append(event)
            manager.record(event)
        }
        feed(F.exec(w.nginx, at: 0))
        feed(F.exec(w.worker, at: 0.1))
        feed(F.open(w.postgres, "/var/lib/postgresql/data", at: 0.2))
        feed(F.exec(w.bash, at: 0.3))
        let shell = F.process(310, ppid: 301, name: "sh", container: F.web)
        feed(F.exec(shell, at: 1))
        let alert = F.alert(F.exec(shell, at: 1), rule: "Terminal shell in container", priority: .notice)
        let id = manager.alert(alert, ring: ring)
        feed(F.net("connect", w.worker, role: .destination, address: "10.0.0.9", port: 5432, at: 2))
        feed(F.open(w.postgres, "/var/lib/postgresql/other", at: 2.5))
        manager.shutdown(now: F.at(3))
        let closed = manager.takeClosed()
        #expect(closed.count == 1)
        guard let incident = closed.first else { return }
        #expect(incident.summary.id == id)
        #expect(incident.summary.closedEarly)
        #expect(incident.summary.scope.kind == .container)
        #expect(incident.summary.scope.container == F.web.fullID)
        #expect(incident.summary.scope.containerName == "web")
        #expect(Set(incident.log.events.map(\.process.pid)) == [300, 301, 310])
        #expect(incident.log.count == 4)
    }

    @Test func alertsOfTheSameScopeJoinAndExtendTheWindow() {
        let w = World()
        var ring = FlightRecorder()
        var manager = IncidentManager(settings: .init(before: 5, after: 10), seed: 3)
        let first = F.open(w.touch, "/usr/bin/a", flags: 0o101, at: 10)
        ring.append(first)
        let a = manager.alert(F.alert(first), ring: ring)
        let second = F.open(w.worker, "/etc/passwd", flags: 0o2, at: 12)
        ring.append(second)
        manager.record(second)
        let b = manager.alert(F.alert(second, rule: "Write to passwd"), ring: ring)
        #expect(a != b, "a container alert does not join a host process tree")
        let third = F.open(w.touch, "/usr/bin/b", flags: 0o101, at: 15)
        ring.append(third)
        manager.record(third)
        let c = manager.alert(F.alert(third, rule: "Again", priority: .critical), ring: ring)
        #expect(c == a)
        let unrelated = F.open(w.backup, "/usr/bin/c", flags: 0o101, at: 16)
        ring.append(unrelated)
        manager.record(unrelated)
        let d = manager.alert(F.alert(unrelated), ring: ring)
        #expect(d != a && d != b)
        #expect(manager.openIncidents.count == 3)
        // The first window would end at 20 s; the joining alert moved it to 25 s.
        manager.tick(now: F.at(22.5))
        let early = manager.takeClosed().map(\.summary.id)
        #expect(early == [b])
        manager.tick(now: F.at(25.5))
        let closed = manager.takeClosed()
        #expect(closed.map(\.summary.id) == [a])
        manager.tick(now: F.at(26.5))
        #expect(manager.takeClosed().map(\.summary.id) == [d])
        let joined = closed.first
        #expect(joined?.summary.alertCount == 2)
        #expect(joined?.summary.priority == "Critical")
        #expect(joined?.summary.firstRule == "Write below binary dir")
        #expect(joined?.summary.windowEnd == F.at(25))
    }

    @Test func beforeAndAfterWindowsBoundTheEvents() {
        let w = World()
        var ring = FlightRecorder()
        var manager = IncidentManager(settings: .init(before: 30, after: 30), seed: 4)
        for second in stride(from: 0.0, through: 100, by: 1) {
            let event = F.open(w.bash, "/tmp/tick-\(Int(second))", at: second)
            ring.append(event)
            manager.record(event)
            if second == 50 {
                // The rule asks for less: 5 s before, 3 s after.
                _ = manager.alert(F.alert(event, before: 5, after: 3), ring: ring)
            }
        }
        let closed = manager.takeClosed()
        #expect(closed.count == 1)
        let times = closed.first?.log.events.map(\.time) ?? []
        #expect(times.first == F.at(45))
        #expect(times.last == F.at(53))
        #expect(times.count == 9)
    }

    @Test func eventLimitCountsDroppedEvents() {
        let w = World()
        var ring = FlightRecorder()
        var manager = IncidentManager(settings: .init(before: 1, after: 10, maxEventsPerIncident: 5), seed: 5)
        let trigger = F.open(w.bash, "/usr/bin/x", flags: 0o101, at: 0)
        ring.append(trigger)
        _ = manager.alert(F.alert(trigger), ring: ring)
        for index in 1...9 { manager.record(F.open(w.bash, "/tmp/\(index)", at: Double(index) * 0.1)) }
        manager.shutdown(now: F.at(2))
        let incident = manager.takeClosed().first
        #expect(incident?.summary.eventCount == 5)
        #expect(incident?.summary.droppedEvents == 5)
    }

    @Test(arguments: [
        (Int32(1), Int32(1)),   // init itself: nothing above
        (Int32(102), Int32(100)),
    ])
    func processTreeRootStopsBelowInitAndSessionLeaders(pid: Int32, root: Int32) {
        let parents: [Int32: Int32] = [102: 100, 100: 50, 50: 1, 1: 0]
        let names: [Int32: String] = [102: "touch", 100: "bash", 50: "sshd", 1: "systemd"]
        #expect(ProcessTreeScoper.climb(from: pid, parents: parents, names: names) == root)
        // Without a session leader, the climb goes up to the child of init.
        #expect(ProcessTreeScoper.climb(from: 102, parents: parents, names: [50: "myapp"]) == 50)
    }

    /// A supervisor no name list knows (`myapp`): session ids stop the climb at the session leader, or below a parent
    /// in another session when the leader is gone.
    @Test func processTreeRootStopsAtTheSessionWithoutKnownNames() {
        let parents: [Int32: Int32] = [103: 102, 102: 100, 100: 50, 50: 1]
        let names: [Int32: String] = [103: "curl", 102: "sh", 100: "job", 50: "myapp"]
        // job (100) called setsid: it leads session 100; myapp is in session 50.
        let sessions: [Int32: Int32] = [103: 100, 102: 100, 100: 100, 50: 50]
        #expect(ProcessTreeScoper.climb(from: 103, parents: parents, names: names, sessions: sessions) == 100)
        // The leader's entry is gone: the climb still stops below the parent of another session.
        var leaderless = sessions
        leaderless[100] = nil
        var orphaned = parents
        orphaned[102] = 60
        orphaned[60] = 50
        leaderless[60] = 50
        #expect(ProcessTreeScoper.climb(from: 103, parents: orphaned, names: names, sessions: leaderless) == 102)
        // Unknown sessions (0 is never stored): names decide as before, up to the child of init.
        #expect(ProcessTreeScoper.climb(from: 103, parents: parents, names: names) == 50)
    }
}
