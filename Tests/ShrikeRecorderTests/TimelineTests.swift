import Testing
import ShrikeSensor
@testable import ShrikeRecorder

@Suite("Timeline")
struct TimelineTests {
    typealias F = EventFixtures
    let timeline = TimelineFixtures.timeline

    @Test func processTreeLinksParentsAndChildren() {
        #expect(timeline.roots == [100])
        let byPID = Dictionary(uniqueKeysWithValues: timeline.processes.map { ($0.pid, $0) })
        #expect(byPID[100]?.children == [101, 102, 103])
        #expect(byPID[100]?.startedBeforeWindow == true)
        let touch = byPID[101]
        #expect(touch?.commandLine == "touch /usr/bin/evil")
        #expect(touch?.start == Timestamp(F.at(-0.01)), "a forked child starts at its fork")
        #expect(touch?.startedBeforeWindow == false)
        #expect(touch?.exit == Timestamp(F.at(0.003)))
        #expect(touch?.exitCode == 0)
        #expect(touch?.alerted == true)
        #expect(touch?.alertRules == ["Write below binary dir"])
        #expect(byPID[103]?.exitCode == 1)
        #expect(byPID[102]?.alerted == false)
        #expect(byPID[102]?.execs.map(\.commandLine) == ["python3 -m http.server 8080"])
    }

    @Test func filesAreGroupedByWhatHappened() {
        let files = timeline.files
        #expect(files.created.map(\.path) == ["/usr/bin/evil", TimelineFixtures.hostile])
        #expect(files.created.first?.count == 2, "repeats fold into one touch")
        #expect(files.created.first?.mode == "0644")
        #expect(files.created.first?.process == "touch")
        #expect(files.modified.map(\.path) == ["/var/log/app.log"])
        #expect(files.deleted.map(\.path) == ["/tmp/stage1"])
        #expect(files.renamed.first?.path == "/tmp/a")
        #expect(files.renamed.first?.target == "/tmp/b")
        #expect(files.permissionsChanged.map(\.syscall) == ["fchmodat", "fchownat"])
        #expect(files.permissionsChanged.first?.mode == "04755")
        #expect(files.permissionsChanged.last?.owner == "0:0")
        #expect(files.sensitiveReads.map(\.path) == ["/etc/shadow", "/root/.ssh/id_ed25519"])
        #expect(files.sensitiveReads.first?.failed == true)
        #expect(files.sensitiveReads.first?.error == "EACCES")
        // Ordinary reads are not listed.
        let all = files.created + files.modified + files.deleted + files.renamed + files.permissionsChanged + files.sensitiveReads
        #expect(!all.contains { $0.path == "/etc/hosts" || $0.path == "/etc/profile" })
    }

    @Test func networkSplitsConnectionsListenersAndPeers() {
        let network = timeline.network
        #expect(network.connections.map(\.address) == ["93.184.216.34", "10.9.9.9"])
        #expect(network.connections.first?.hostName == "example.com")
        #expect(network.connections.first?.protocol == "tcp")
        #expect(network.connections.first?.port == 443)
        #expect(network.connections.last?.failed == true)
        #expect(network.connections.last?.error == "ECONNREFUSED")
        // The listen takes its address from the bind on the same fd; the UDP bind without listen is a listener too.
        #expect(network.listeners.map(\.syscall) == ["listen", "bind"])
        #expect(network.listeners.map(\.port) == [8080, 5353])
        #expect(network.listeners.map(\.protocol) == ["tcp", "udp"])
        #expect(network.peers.map(\.address) == ["10.1.2.3"])
        #expect(network.peers.first?.process == "python3")
    }

    @Test func entriesAreTimeOrderedWithAlertsOnTheSameAxis() {
        let entries = timeline.entries
        #expect(entries.map(\.time) == entries.map(\.time).sorted())
        let alertIndex = entries.firstIndex { $0.lane == .alert }
        let writeIndex = entries.firstIndex { $0.kind == "created" && $0.summary.hasPrefix("/usr/bin/evil") }
        #expect(alertIndex != nil && writeIndex != nil)
        if let alertIndex, let writeIndex { #expect(writeIndex < alertIndex) }
        #expect(entries.first { $0.pid == 101 }?.depth == 1)
        #expect(entries.contains { $0.kind == "privilege" && $0.summary.contains("uid=0") })
        #expect(!entries.contains { $0.syscall == "socket" })
        #expect(timeline.alerts.count == 1)
        #expect(timeline.incident.scopeDescription == "process tree of 100 (bash)")
    }

    @Test func entryLimitCountsWhatIsLeftOut() {
        let limited = TimelineBuilder(entryLimit: 3).build(TimelineFixtures.incident)
        #expect(limited.entries.count == 3)
        #expect(limited.entriesOmitted > 0)
    }

    @Test(arguments: [
        ("/etc/shadow", true), ("/etc/sudoers", true), ("/etc/sudoers.d/90-cloud", true),
        ("/home/ann/.ssh/id_rsa", true), ("/home/ann/.ssh/id_rsa.pub", false), ("/root/.aws/credentials", true),
        ("/etc/passwd", false), ("/etc/ssh/ssh_host_ed25519_key", true), ("/var/run/secrets/kubernetes.io/token", true),
        ("/usr/lib/libc.so.6", false),
    ])
    func sensitivePaths(path: String, sensitive: Bool) {
        #expect(FileActionClassifier.isSensitive(path) == sensitive)
    }
}
