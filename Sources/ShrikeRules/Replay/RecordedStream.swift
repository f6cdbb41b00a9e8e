import Foundation
import ShrikeCore
import ShrikeSensor

/// A recording of `shrike watch --events --json` made ready for the rules engine: the events, and the process table
/// as each event would have seen it, rebuilt from the events themselves.
///
/// The table is rebuilt from what events carry (pid, parent, name, exe, command line, cwd, ids); processes that
/// started before the recording are known only from their own events.
public struct RecordedStream: Sendable {
    public let events: [Event]

    public init(events: [Event]) {
        self.events = events
    }

    /// Reads a JSON-lines recording; errors name the file and the line.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ShrikeError(FileManager.default.fileExists(atPath: path) ? .io : .notFound,
                              "cannot read the recording", input: path)
        }
        do {
            events = try EventJSONDecoder().decode(lines: String(decoding: data, as: UTF8.self))
        } catch let error as ShrikeError {
            // The decoder names the line and quotes it; the user needs the file first.
            throw ShrikeError(error.code, "\(error.message): \(error.input ?? "")", input: path)
        }
    }

    /// Calls `body` with each event and the table as it stood after that event, in order.
    public func replay(_ body: (Event, ProcessTable) -> Void) {
        var table = ProcessTable()
        for event in events {
            Self.apply(event, to: &table)
            body(event, table)
        }
    }

    /// The table after every event: what a long-running watch knows at the end.
    public var finalTable: ProcessTable {
        var table = ProcessTable()
        for event in events { Self.apply(event, to: &table) }
        return table
    }

    static func apply(_ event: Event, to table: inout ProcessTable) {
        let p = event.process
        var entry = table[p.pid] ?? ProcessEntry(pid: p.pid, ppid: p.ppid)
        entry.ppid = p.ppid
        entry.uid = p.uid
        entry.gid = p.gid
        entry.loginuid = p.loginuid
        entry.name = p.name
        entry.exe = p.exe
        if entry.args != p.args { entry.args = p.args }
        entry.cwd = p.cwd
        entry.tty = p.tty
        entry.exeFromMemfd = p.exeFromMemfd
        entry.vpid = p.vpid
        entry.vpgid = p.vpgid
        entry.capabilities = p.capabilities
        entry.executable = p.executable
        table.update(entry)
        if event.type == "fork", let child = event.arguments["child_pid"].flatMap(Int32.init), table[child] == nil {
            var copy = entry
            copy.pid = child
            copy.ppid = p.pid
            table.update(copy)
        }
    }
}
