import Foundation
import ShrikeAlerting
import ShrikeRules
import ShrikeSensor
import Synchronization
import Testing
@testable import ShrikeAgent

/// `watch --server`: the spool holds an alert before the terminal (or any other output) shows it, so an alert a user
/// saw is never one a `kill -9` of the agent kept from the server.
@Suite struct SpoolFirstTests {
    /// A local output that notes, for each alert it is given, whether the spool already had it.
    final class CheckingOutput: AlertOutput {
        let name = "checking"
        let spool: Spool
        private let seen = Mutex<[(rule: String, spooled: Bool)]>([])

        init(spool: Spool) { self.spool = spool }

        func emit(_ alert: Alert) {
            let spooled = ((try? spool.peek(maxRecords: 10_000, maxBytes: .max)) ?? [])
                .contains { String(decoding: $0.body, as: UTF8.self).contains("\"rule\":\"\(alert.rule)\"") }
            seen.withLock { $0.append((alert.rule, spooled)) }
        }
        func flush() {}
        func close() {}
        func statistics() -> AlertOutputStatistics { AlertOutputStatistics(name: name) }
        var snapshot: [(rule: String, spooled: Bool)] { seen.withLock { $0 } }
    }

    static func alert(_ rule: String, priority: RulePriority = .warning, output: String = "x") -> Alert {
        let process = ProcessSnapshot(pid: 7, tid: 7, ppid: 1, uid: 0, gid: 0, loginuid: .max, name: "sh", exe: "/bin/sh",
                                      args: ["sh"], cwd: "/", tty: 0, container: .host)
        let event = Event(time: 1_795_946_400_000_000_000, type: "execve", category: .process, ret: 0, process: process)
        return Alert(time: event.time, rule: rule, priority: priority, output: output, hostname: "node-1", event: event)
    }

    /// A spool, its writer, a checking local output and a dispatcher that puts the spool first.
    struct Rig {
        let directory: String
        let spool: Spool
        let writer: SpoolWriter
        let local: CheckingOutput
        let server: ServerAlertOutput
        let dispatcher: AlertDispatcher

        init(maxBytes: Int? = nil, minimumPriority: RulePriority? = nil) throws {
            let directory = try SpoolFixtures.directory()
            self.directory = directory
            spool = try maxBytes.map { try Spool(directory: directory, maxBytes: $0) } ?? Spool(directory: directory)
            writer = SpoolWriter(spool: spool)
            local = CheckingOutput(spool: spool)
            server = ServerAlertOutput(writer: writer, url: "https://server.example")
            dispatcher = AlertDispatcher(routes: [AlertRoute(output: local)], durable: server,
                                         minimumPriority: minimumPriority)
        }

        /// Everything emitted is spooled and shown; the writer is closed.
        func finish() {
            dispatcher.close()
            writer.close()
        }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let count: Int
        var testDescription: String { name }
    }

    @Test("each alert is in the spool before the local output gets it, in the order they came",
          arguments: [Case(name: "one", count: 1), Case(name: "a burst of 500 (group commit)", count: 500)])
    func spooledBeforeShown(_ scenario: Case) throws {
        let rig = try Rig()
        defer { SpoolFixtures.remove(rig.directory) }
        for index in 0..<scenario.count { rig.dispatcher.emit(Self.alert("rule \(index)")) }
        rig.finish()
        let seen = rig.local.snapshot
        #expect(seen.map(\.rule) == (0..<scenario.count).map { "rule \($0)" })
        let early = seen.filter { !$0.spooled }.map { $0.rule }
        #expect(early.isEmpty, "shown before spooled: \(early)")
        #expect(rig.dispatcher.statistics().map(\.name) == ["checking", "server:https://server.example"])
    }

    @Test("an alert the spool refuses is still shown locally, and counted as failed for the server")
    func refusedIsStillShown() throws {
        let rig = try Rig(maxBytes: 64 << 10)
        defer { SpoolFixtures.remove(rig.directory) }
        rig.dispatcher.emit(Self.alert("too big", output: String(repeating: "y", count: 100 << 10)))
        rig.dispatcher.emit(Self.alert("fits"))
        rig.finish()
        #expect(rig.local.snapshot.map(\.rule) == ["too big", "fits"])
        #expect(rig.local.snapshot.map(\.spooled) == [false, true])
        #expect(rig.server.statistics().failed == 1)
    }

    @Test("below the server's minimum priority an alert goes to the local outputs at once, filtered for the server")
    func belowTheServersMinimum() throws {
        let rig = try Rig(minimumPriority: .error)
        defer { SpoolFixtures.remove(rig.directory) }
        rig.dispatcher.emit(Self.alert("notice only", priority: .notice))
        rig.dispatcher.emit(Self.alert("critical", priority: .critical))
        rig.finish()
        #expect(rig.local.snapshot.map(\.rule) == ["notice only", "critical"])
        #expect(rig.local.snapshot.map(\.spooled) == [false, true])
        #expect(rig.dispatcher.statistics().last?.filtered == 1)
        #expect(try rig.spool.peek(maxRecords: 10, maxBytes: .max).count == 1)
    }
}
